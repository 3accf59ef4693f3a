// The files a bootstrapped Debian image carries besides its packages: apt's
// sources (the host's mirrors, never a hard-coded host), the apt and dpkg
// tweaks of the official Debian container images (facts from debuerreotype),
// the slim variant's dpkg path filters, and the policy-rc.d that keeps
// maintainer scripts from starting services while the image is built.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "debian/sources.h"

namespace distill::bootstrap {

// /etc/apt/sources.list.d/debian.sources (deb822): one stanza per archive URI
// of `plan` (suites of the same URI share one), in plan order, each signed by
// the keyring the debian-archive-keyring package installs in the image.
std::string DebianSourcesText(const std::vector<debian::SuiteSource>& plan);

// /etc/dpkg/dpkg.cfg.d/docker of the slim images: documentation, manuals,
// translations and lint overrides are never unpacked (copyright files and
// locale.alias are kept).
std::string SlimDpkgFilterText();

// Whether the slim filter leaves out `path` (absolute, as dpkg sees it): the
// last path-exclude/path-include rule that matches decides, as in dpkg.
bool SlimExcludes(std::string_view path);

// (path relative to the rootfs, content) of the apt/dpkg configuration every
// image gets: docker-clean, docker-gzip-indexes, docker-no-languages,
// docker-autoremove-suggests, docker-apt-speedup.
std::vector<std::pair<std::string, std::string>> DockerAptTweaks();

// usr/sbin/policy-rc.d while the image is built: exit 101 = "action forbidden".
inline constexpr const char* kPolicyRcPath = "usr/sbin/policy-rc.d";
inline constexpr const char* kPolicyRcText = "#!/bin/sh\nexit 101\n";

}  // namespace distill::bootstrap
