#include "debian/resolver.h"

#include <algorithm>
#include <functional>
#include <set>

namespace distill::debian {
namespace {

int PriorityRank(const std::string& priority) {
  if (priority == "required") return 0;
  if (priority == "important") return 1;
  if (priority == "standard") return 2;
  if (priority == "optional") return 3;
  return 4;  // extra, or none
}

const std::vector<const Package*> kNoPackages;
const std::vector<PackageUniverse::Provider> kNoProviders;

// A versioned dependency is met by a Provides only if it names "(= version)"
// and that version satisfies the relation (policy §7.5).
bool ProvidesMatches(const Dependency& dep, const Dependency& provides) {
  if (!dep.relation) return true;
  if (!provides.relation || *provides.relation != Relation::kEqual) return false;
  return dep.VersionMatches(provides.version);
}

}  // namespace

void PackageUniverse::Add(std::vector<Package> packages) {
  std::set<std::string> touched;
  for (Package& p : packages) {
    if (p.architecture != arch_ && p.architecture != "all") continue;
    std::vector<const Package*>& same_name = by_name_[p.name];
    bool duplicate = std::any_of(same_name.begin(), same_name.end(), [&](const Package* q) {
      return q->architecture == p.architecture && CompareVersions(q->version, p.version) == 0;
    });
    if (duplicate) continue;
    packages_.push_back(std::move(p));
    const Package* stored = &packages_.back();
    same_name.push_back(stored);
    touched.insert(stored->name);
    for (const Dependency& prov : stored->provides) {
      providers_[prov.name].push_back(Provider{stored, &prov});
    }
  }
  for (const std::string& name : touched) {
    std::stable_sort(by_name_[name].begin(), by_name_[name].end(),
                     [](const Package* a, const Package* b) {
                       return CompareVersions(a->version, b->version) > 0;
                     });
  }
}

const std::vector<const Package*>& PackageUniverse::Candidates(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? kNoPackages : it->second;
}

const std::vector<PackageUniverse::Provider>& PackageUniverse::Providers(
    std::string_view name) const {
  auto it = providers_.find(std::string(name));
  return it == providers_.end() ? kNoProviders : it->second;
}

std::vector<std::string> PackageUniverse::EssentialNames() const {
  std::vector<std::string> out;
  for (const auto& [name, versions] : by_name_) {
    if (!versions.empty() && versions.front()->essential) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

class Resolver {
 public:
  Resolver(const PackageUniverse& universe, const ResolveOptions& options)
      : universe_(universe), excluded_(options.exclude.begin(), options.exclude.end()) {}

  Status AddRoot(const std::string& spec, const std::string& why) {
    std::string name = spec;
    std::string wanted_version;
    if (size_t eq = spec.find('='); eq != std::string::npos) {
      name = spec.substr(0, eq);
      wanted_version = spec.substr(eq + 1);
    }
    if (excluded_.count(name)) {
      return Status::Invalid("package " + name + " is both requested and excluded");
    }
    if (auto it = chosen_.find(name); it != chosen_.end()) return Status::Ok();
    const auto& candidates = universe_.Candidates(name);
    const Package* pick = nullptr;
    for (const Package* p : candidates) {
      if (wanted_version.empty() || p->version.str() == wanted_version ||
          CompareVersionStrings(p->version.str(), wanted_version) == 0) {
        pick = p;
        break;
      }
    }
    if (pick == nullptr) {
      // A root may name a virtual package with a single obvious provider.
      const auto& providers = universe_.Providers(name);
      if (wanted_version.empty() && !providers.empty()) {
        pick = BestProvider(providers, nullptr);
      }
    }
    if (pick == nullptr) {
      if (candidates.empty()) {
        return Status::NotFound("package " + name + " is not in the " + universe_.arch() +
                                " package indexes");
      }
      return Status::NotFound("package " + name + " has no version " + wanted_version +
                              " (available: " + Available(name) + ")");
    }
    Choose(pick, why);
    return Status::Ok();
  }

  Status Run() {
    while (!queue_.empty()) {
      const Package* p = queue_.front();
      queue_.pop_front();
      for (const DependencyGroup& g : p->pre_depends) {
        DISTILL_RETURN_IF_ERROR(Satisfy(p, g, "pre-depends on"));
      }
      for (const DependencyGroup& g : p->depends) {
        DISTILL_RETURN_IF_ERROR(Satisfy(p, g, "depends on"));
      }
    }
    return Status::Ok();
  }

  Resolution Finish() && {
    Resolution r;
    for (const auto& [name, pkg] : chosen_) r.packages.push_back(pkg);  // std::map: sorted
    r.wanted_by = std::move(wanted_by_);
    r.dropped = std::move(dropped_);
    return r;
  }

 private:
  void Choose(const Package* p, const std::string& why) {
    chosen_[p->name] = p;
    wanted_by_[p->name] = why;
    for (const Dependency& prov : p->provides) provided_[prov.name].push_back({p, &prov});
    queue_.push_back(p);
  }

  // The alternative's architecture qualifier in a single-architecture universe:
  // ":any" and ":native" (and the universe's own arch) name packages we hold.
  bool QualifierUsable(const Dependency& d) const {
    return d.arch_qualifier.empty() || d.arch_qualifier == "any" || d.arch_qualifier == "native" ||
           d.arch_qualifier == universe_.arch();
  }

  // "name:any" may only be met by a package that declares Multi-Arch: allowed
  // (policy); apt also takes "foreign" and architecture-independent ones.
  static bool AnyQualifierAccepts(const Dependency& d, const Package& p) {
    return d.arch_qualifier != "any" || p.multi_arch == "allowed" || p.multi_arch == "foreign" ||
           p.architecture == "all";
  }

  bool MetByChosen(const Dependency& d) const {
    if (auto it = chosen_.find(d.name); it != chosen_.end() &&
                                        d.VersionMatches(it->second->version) &&
                                        AnyQualifierAccepts(d, *it->second)) {
      return true;
    }
    if (auto it = provided_.find(d.name); it != provided_.end()) {
      for (const auto& prov : it->second) {
        if (ProvidesMatches(d, *prov.provides)) return true;
      }
    }
    return false;
  }

  const Package* BestProvider(const std::vector<PackageUniverse::Provider>& providers,
                              const Dependency* d) const {
    const Package* best = nullptr;
    for (const auto& prov : providers) {
      if (excluded_.count(prov.package->name)) continue;
      if (d != nullptr && !ProvidesMatches(*d, *prov.provides)) continue;
      // A provider whose own name is already taken by another version cannot be added.
      if (auto it = chosen_.find(prov.package->name);
          it != chosen_.end() && it->second != prov.package) {
        continue;
      }
      if (best == nullptr) {
        best = prov.package;
        continue;
      }
      int a = PriorityRank(prov.package->priority);
      int b = PriorityRank(best->priority);
      if (a < b || (a == b && prov.package->name < best->name) ||
          (a == b && prov.package->name == best->name &&
           CompareVersions(prov.package->version, best->version) > 0)) {
        best = prov.package;
      }
    }
    return best;
  }

  // The package that would meet `d`, or nullptr.
  const Package* Candidate(const Dependency& d) const {
    if (excluded_.count(d.name) || !QualifierUsable(d)) return nullptr;
    // A name already chosen at a version that does not match cannot be chosen
    // again; only a provider can still help.
    if (!chosen_.count(d.name)) {
      for (const Package* p : universe_.Candidates(d.name)) {
        if (d.VersionMatches(p->version) && AnyQualifierAccepts(d, *p)) return p;
      }
    }
    return BestProvider(universe_.Providers(d.name), &d);
  }

  Status Satisfy(const Package* from, const DependencyGroup& group, const char* verb) {
    std::vector<const Dependency*> applicable;
    for (const Dependency& d : group) {
      if (d.AppliesTo(universe_.arch())) applicable.push_back(&d);
    }
    if (applicable.empty()) return Status::Ok();
    for (const Dependency* d : applicable) {
      if (MetByChosen(*d)) return Status::Ok();
    }
    for (const Dependency* d : applicable) {
      if (const Package* p = Candidate(*d)) {
        Choose(p, from->name);
        return Status::Ok();
      }
    }
    std::string label =
        from->name + " " + from->version.str() + " " + verb + " " + GroupString(group);
    for (const Dependency* d : applicable) {
      if (excluded_.count(d->name)) {
        dropped_.push_back(label);
        return Status::Ok();
      }
    }
    return Status::NotFound(label + " but " + WhyUnmet(applicable) + "; wanted by " +
                            Chain(from->name));
  }

  std::string Available(const std::string& name) const {
    std::string out;
    for (const Package* p : universe_.Candidates(name)) {
      if (!out.empty()) out += ", ";
      out += p->version.str();
    }
    return out;
  }

  std::string WhyUnmet(const std::vector<const Dependency*>& alternatives) const {
    std::string out;
    for (const Dependency* d : alternatives) {
      if (!out.empty()) out += ", and ";
      if (auto it = chosen_.find(d->name); it != chosen_.end()) {
        out += d->name + " " + it->second->version.str() + " was already chosen (wanted by " +
               Chain(d->name) + ")";
      } else if (!QualifierUsable(*d)) {
        out += d->name + ":" + d->arch_qualifier + " is not a " + universe_.arch() + " package";
      } else if (!universe_.Candidates(d->name).empty()) {
        out += "no version of " + d->name + " satisfies it (available: " + Available(d->name) + ")";
      } else if (!universe_.Providers(d->name).empty()) {
        out += "no provider of " + d->name + " satisfies it";
      } else {
        out += "no package " + d->name + " exists";
      }
    }
    return out;
  }

  // "python3.11 ← python3-minimal": who wanted `name`, back to a requested root.
  std::string Chain(const std::string& name) const {
    std::string out;
    std::string at = name;
    std::set<std::string> seen{at};
    while (true) {
      auto it = wanted_by_.find(at);
      if (it == wanted_by_.end() || it->second.empty() || seen.count(it->second)) break;
      at = it->second;
      seen.insert(at);
      out += (out.empty() ? "" : " \u2190 ") + at;
    }
    return out.empty() ? "the request" : out;
  }

  const PackageUniverse& universe_;
  std::set<std::string> excluded_;
  std::map<std::string, const Package*> chosen_;
  std::map<std::string, std::vector<PackageUniverse::Provider>> provided_;
  std::map<std::string, std::string> wanted_by_;
  std::vector<std::string> dropped_;
  std::deque<const Package*> queue_;
};

}  // namespace

Result<Resolution> Resolve(const PackageUniverse& universe, const std::vector<std::string>& roots,
                           const ResolveOptions& options) {
  Resolver resolver(universe, options);
  for (const std::string& root : roots) DISTILL_RETURN_IF_ERROR(resolver.AddRoot(root, ""));
  if (options.include_essential) {
    // Essential packages, in name order so the walk (and the result) is stable.
    for (const std::string& name : universe.EssentialNames()) {
      if (std::find(options.exclude.begin(), options.exclude.end(), name) !=
          options.exclude.end()) {
        continue;
      }
      DISTILL_RETURN_IF_ERROR(resolver.AddRoot(name, ""));
    }
  }
  DISTILL_RETURN_IF_ERROR(resolver.Run());
  return std::move(resolver).Finish();
}

std::vector<const Package*> InstallOrder(const Resolution& resolution) {
  std::map<std::string, const Package*> by_name;
  std::map<std::string, std::vector<const Package*>> by_provided;
  for (const Package* p : resolution.packages) {
    by_name[p->name] = p;
    for (const Dependency& prov : p->provides) by_provided[prov.name].push_back(p);
  }
  // The chosen package that meets a group (first alternative that one meets).
  auto met_by = [&](const DependencyGroup& group) -> const Package* {
    for (const Dependency& d : group) {
      auto it = by_name.find(d.name);
      if (it != by_name.end() && d.VersionMatches(it->second->version)) return it->second;
      auto prov = by_provided.find(d.name);
      if (prov != by_provided.end() && !prov->second.empty()) return prov->second.front();
    }
    return nullptr;
  };
  enum class Mark { kNone, kVisiting, kDone };
  std::map<const Package*, Mark> marks;
  std::vector<const Package*> order;
  std::function<void(const Package*)> visit = [&](const Package* p) {
    Mark& mark = marks[p];
    if (mark != Mark::kNone) return;  // done, or a cycle: break it here
    mark = Mark::kVisiting;
    for (const auto* groups : {&p->pre_depends, &p->depends}) {
      for (const DependencyGroup& g : *groups) {
        if (const Package* q = met_by(g); q != nullptr && q != p) visit(q);
      }
    }
    marks[p] = Mark::kDone;
    order.push_back(p);
  };
  for (const auto& [name, p] : by_name) visit(p);
  return order;
}

}  // namespace distill::debian
