// Dependency resolution for building an image from Debian packages: from a
// few root packages to the closed set their Depends and Pre-Depends need.
//
// The resolver is deliberately simple and predictable (an image recipe must
// give the same set every time): it walks dependencies breadth-first in field
// order; a group already met by a chosen package stays met; otherwise the
// first alternative that can be met wins — a real package at its highest
// version that satisfies the relation, else a provider of a virtual package
// (by Priority, then name). Recommends and Suggests are never followed.
// It does not backtrack: a conflict between two requirements is reported, not
// searched around.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "debian/packages_index.h"

namespace distill::debian {

// Every package that can be chosen, for one architecture (its packages and
// "all" ones). Not thread-safe while adding; read-only use is.
class PackageUniverse {
 public:
  explicit PackageUniverse(std::string arch) : arch_(std::move(arch)) {}
  PackageUniverse(const PackageUniverse&) = delete;
  PackageUniverse& operator=(const PackageUniverse&) = delete;

  // Adds one index's packages; of two with equal name and version, the one
  // added first wins (add the release before -updates and -security: they
  // carry higher versions anyway).
  void Add(std::vector<Package> packages);

  const std::string& arch() const { return arch_; }
  size_t size() const { return packages_.size(); }

  // Real packages named `name`, highest version first.
  const std::vector<const Package*>& Candidates(std::string_view name) const;

  struct Provider {
    const Package* package;
    const Dependency* provides;  // the Provides entry, with its version if any
  };
  // Packages whose Provides names `name`.
  const std::vector<Provider>& Providers(std::string_view name) const;

  // Names whose highest version is Essential: yes, sorted.
  std::vector<std::string> EssentialNames() const;

 private:
  std::string arch_;
  std::deque<Package> packages_;  // stable addresses
  std::unordered_map<std::string, std::vector<const Package*>> by_name_;
  std::unordered_map<std::string, std::vector<Provider>> providers_;
};

struct ResolveOptions {
  // Add every Essential: yes package as a root (a full base system; distroless
  // images leave it off).
  bool include_essential = false;
  // Packages never chosen. A dependency that only an excluded package can meet
  // counts as met (the recipe takes responsibility), and is listed in
  // Resolution::dropped.
  std::vector<std::string> exclude;
};

struct Resolution {
  // The chosen packages, sorted by name (deterministic).
  std::vector<const Package*> packages;
  // For each chosen package, the one whose dependency pulled it in ("" for roots).
  std::map<std::string, std::string> wanted_by;
  // "pkg ver depends on X" lines met only by excluded packages.
  std::vector<std::string> dropped;
};

// Resolves `roots`, each "name" or "name=version". An unknown root, an
// excluded root, or a dependency nothing can satisfy is a kNotFound error that
// explains the chain, e.g. "python3.11-minimal 3.11.2-6 depends on libssl3
// (>= 3.0.0) but no version of libssl3 satisfies it (available: 1.1); wanted
// by python3.11 ← python3-minimal".
Result<Resolution> Resolve(const PackageUniverse& universe, const std::vector<std::string>& roots,
                           const ResolveOptions& options = {});

// The chosen packages in an order to unpack and configure them: each after
// the packages it Pre-Depends on and Depends on, where the dependencies allow
// (a cycle, such as libc6 ↔ libgcc-s1, is broken at the package reached
// first, walking names in sorted order). Deterministic.
std::vector<const Package*> InstallOrder(const Resolution& resolution);

}  // namespace distill::debian
