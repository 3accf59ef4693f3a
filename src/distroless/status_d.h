// /var/lib/dpkg/status.d/<package>: the per-package records distroless
// images carry instead of dpkg's single status file, so scanners (trivy,
// grype, syft) can list what is installed without a package manager.
#pragma once

#include <map>
#include <string>

#include "debian/control.h"

namespace distill::distroless {

// The package's control paragraph as deb822 text, fields in their original
// order, multi-line values continued with one space and empty lines as " .".
std::string RenderStatusParagraph(const debian::Paragraph& control);

// The md5sums control file: "<md5>  <path>\n" per file, sorted by path.
std::string RenderMd5sums(const std::map<std::string, std::string>& md5sums);

}  // namespace distill::distroless
