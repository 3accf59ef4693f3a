package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRoutes(t *testing.T) {
	srv := httptest.NewServer(newMux())
	defer srv.Close()
	for path, want := range map[string]string{"/": "hello from go-server", "/healthz": `"ok"`, "/whoami": `"uid"`} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s = %d %q, want 200 containing %q", path, resp.StatusCode, body, want)
		}
	}
	resp, _ := http.Get(srv.URL + "/missing")
	if resp.StatusCode != 404 {
		t.Errorf("GET /missing = %d, want 404", resp.StatusCode)
	}
}
