// pull, push, login, logout: images between the store and registries.
#include <termios.h>
#include <unistd.h>

#include <functional>
#include <iostream>
#include <memory>
#include <string>

#include "cli/verbs.h"
#include "oci/platform.h"
#include "oci/reference.h"
#include "store/image_store.h"
#include "store/store.h"
#include "store/store_root.h"
#include "transport/registry_client.h"
#include "transport/registry_image.h"
#include "util/file_system.h"

namespace distill::cli {
namespace {

// Progress lines of a transfer go to stderr, unless -q.
std::function<void(const std::string&)> ProgressLog(bool quiet) {
  if (quiet) return {};
  return [](const std::string& line) { std::cerr << line << "\n"; };
}

// "docker.io", "localhost:5000": what login/logout take. A reference or URL is
// cut down to its registry, as `docker login` does.
Result<std::string> RegistryHostOf(std::string text) {
  for (const char* scheme : {"https://", "http://"}) {
    if (text.starts_with(scheme)) text = text.substr(std::string(scheme).size());
  }
  text = text.substr(0, text.find('/'));
  if (text.empty()) return Status::Invalid("name a registry, e.g. ghcr.io or localhost:5000");
  if (text == "index.docker.io" || text == "registry-1.docker.io") text = "docker.io";
  return text;
}

Result<std::string> ReadPassword(bool from_stdin) {
  std::string password;
  if (from_stdin) {
    std::getline(std::cin, password);
  } else if (isatty(0)) {
    std::cerr << "Password: " << std::flush;
    termios old{};
    tcgetattr(0, &old);
    termios silent = old;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(0, TCSANOW, &silent);
    std::getline(std::cin, password);
    tcsetattr(0, TCSANOW, &old);
    std::cerr << "\n";
  } else {
    return Status::Invalid("no password: give -p, or --password-stdin with the password on stdin");
  }
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
    password.pop_back();
  }
  if (password.empty()) return Status::Invalid("the password is empty");
  return password;
}

void RegisterPull(CLI::App& app, Context& ctx) {
  struct Args {
    std::string ref;
    std::string platform;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();  // CLI11 binds by reference; the callback owns it
  auto* verb = app.add_subcommand("pull", "Pull an image from a registry into the store");
  verb->add_option("REF", args->ref, "image reference: NAME[:TAG] or NAME@DIGEST")->required();
  verb->add_option("--platform", args->platform,
                   "platform to take from a multi-platform image (default: this machine's)");
  verb->add_flag("-q,--quiet", args->quiet, "no progress; print only the image ID");
  SetExamples(verb,
              "  distill pull alpine:3.20\n"
              "  distill pull --platform linux/arm64 ghcr.io/org/app:1.0\n"
              "  distill pull localhost:5000/app@sha256:<digest>");
  verb->callback([&ctx, args] {
    transport::PullOptions options;
    if (!args->platform.empty()) {
      auto p = oci::ParsePlatform(args->platform);
      if (!Report(p.status(), ctx)) return;
      options.platform = *p;
    }
    auto s = OpenStore(ctx);
    if (!Report(s.status(), ctx)) return;
    auto pulled = transport::PullImageByName(**s, args->ref, options, ProgressLog(args->quiet));
    if (!Report(pulled.status(), ctx)) return;
    if (!args->quiet) {
      std::cerr << "Digest: " << pulled->top_digest.str() << "\n";
      if (!pulled->name.empty()) std::cerr << "Pulled " << pulled->name << "\n";
    }
    std::cout << pulled->manifest.str() << "\n";
  });
}

void RegisterPush(CLI::App& app, Context& ctx) {
  struct Args {
    std::string image;
    std::string dest;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();  // CLI11 binds by reference; the callback owns it
  auto* verb = app.add_subcommand("push", "Push an image from the store to a registry");
  verb->add_option("IMAGE", args->image, "the image in the store (name or ID)")->required();
  verb->add_option("DEST", args->dest,
                   "where to push it: REGISTRY/REPO[:TAG] (default: the image's own name)");
  verb->add_flag("-q,--quiet", args->quiet, "no progress; print only the pushed digest");
  SetExamples(verb,
              "  distill push localhost:5000/app:1.0\n"
              "  distill push app:1.0 ghcr.io/org/app:1.0\n"
              "  distill push $(distill build -q .) registry.example.com/team/app:latest");
  verb->callback([&ctx, args] {
    // An image ID names no repository: pushing it needs a destination.
    const std::string& image = args->image;
    bool is_id =
        image.starts_with("sha256:") ||
        (image.size() >= 12 && image.find_first_not_of("0123456789abcdef") == std::string::npos);
    if (args->dest.empty() && is_id) {
      Report(Status::Invalid("an image ID has no registry name: give a destination, "
                             "distill push " +
                             image + " REGISTRY/REPO:TAG"),
             ctx);
      return;
    }
    std::string dest_text = args->dest.empty() ? args->image : args->dest;
    auto dest = oci::Reference::Parse(dest_text);
    if (!dest.ok()) {
      Report(dest.status().Prefixed(args->dest.empty()
                                        ? "give a destination: distill push IMAGE REGISTRY/REPO:TAG"
                                        : "DEST"),
             ctx);
      return;
    }
    auto s = OpenStore(ctx);
    if (!Report(s.status(), ctx)) return;
    auto client = transport::NewDefaultRegistryClient(ProgressLog(args->quiet));
    if (!Report(client.status(), ctx)) return;
    auto pushed = transport::PushImage(**s, *client->client, args->image, *dest);
    if (!Report(pushed.status(), ctx)) return;
    if (!args->quiet) {
      std::cerr << dest->String() << ": digest: " << pushed->digest.str()
                << " size: " << pushed->size << "\n";
    }
    std::cout << pushed->digest.str() << "\n";
  });
}

void RegisterLogin(CLI::App& app, Context& ctx) {
  struct Args {
    std::string host;
    std::string user;
    std::string password;
    bool password_stdin = false;
  };
  auto args = std::make_shared<Args>();  // CLI11 binds by reference; the callback owns it
  auto* verb =
      app.add_subcommand("login",
                         "Log in to a registry: check the credentials and store them (0600) in "
                         "~/.config/distill/auth.json");
  verb->add_option("HOST", args->host, "the registry (default docker.io)");
  verb->add_option("-u,--username", args->user, "user name")->required();
  verb->add_option("-p,--password", args->password,
                   "password or token (visible to other users in `ps`: prefer --password-stdin)");
  verb->add_flag("--password-stdin", args->password_stdin, "read the password from stdin");
  SetExamples(verb,
              "  echo \"$TOKEN\" | distill login -u me --password-stdin ghcr.io\n"
              "  distill login -u admin localhost:5000     # asks for the password");
  verb->callback([&ctx, args] {
    auto host = RegistryHostOf(args->host.empty() ? "docker.io" : args->host);
    if (!Report(host.status(), ctx)) return;
    std::string password = args->password;
    if (password.empty()) {
      auto read = ReadPassword(args->password_stdin);
      if (!Report(read.status(), ctx)) return;
      password = *read;
    } else if (args->password_stdin) {
      Report(Status::Invalid("give either -p or --password-stdin, not both"), ctx);
      return;
    }
    auto client = transport::NewDefaultRegistryClient(ProgressLog(false));
    if (!Report(client.status(), ctx)) return;
    transport::Credentials creds{args->user, password, ""};
    // Checked with the registry first, from memory, so a typo is never stored.
    client->credentials->Preset(*host, creds);
    if (!Report(client->client->CheckLogin(*host), ctx)) return;
    if (!Report(client->credentials->Store(*host, creds), ctx)) return;
    std::cerr << "Credentials for " << *host << " stored in "
              << client->credentials->files().front() << "\n";
    std::cout << "Login Succeeded\n";
  });
}

void RegisterLogout(CLI::App& app, Context& ctx) {
  auto host_arg =
      std::make_shared<std::string>();  // CLI11 binds by reference; the callback owns it
  auto* verb = app.add_subcommand("logout", "Remove the stored credentials for a registry");
  verb->add_option("HOST", *host_arg, "the registry (default docker.io)");
  SetExamples(verb, "  distill logout localhost:5000");
  verb->callback([&ctx, host_arg] {
    auto host = RegistryHostOf(host_arg->empty() ? "docker.io" : *host_arg);
    if (!Report(host.status(), ctx)) return;
    transport::CredentialStore store = transport::CredentialStore::Default();
    if (!Report(store.Erase(*host), ctx)) return;
    std::cout << "Removing login credentials for " << *host << "\n";
  });
}

}  // namespace

void RegisterRegistryVerbs(CLI::App& app, Context& ctx) {
  RegisterPull(app, ctx);
  RegisterPush(app, ctx);
  RegisterLogin(app, ctx);
  RegisterLogout(app, ctx);
}

}  // namespace distill::cli
