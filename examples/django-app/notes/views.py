import os
import platform

import django
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render


def index(request):
    return render(request, "notes/index.html", {
        "python": platform.python_version(),
        "django": django.get_version(),
        "uid": os.getuid(),
    })


def healthz(request):
    return JsonResponse({"status": "ok"})


def add(request):
    try:
        a = float(request.GET["a"])
        b = float(request.GET["b"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest("query parameters a and b must be numbers\n")
    return JsonResponse({"a": a, "b": b, "sum": a + b})
