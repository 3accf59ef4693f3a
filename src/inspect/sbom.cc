#include "inspect/sbom.h"

#include <cctype>
#include <ctime>
#include <random>

#include "util/version.h"

namespace distill::inspect {

namespace {

std::string Rfc3339(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// SPDX identifiers allow letters, digits, '.' and '-' only.
std::string SpdxId(const std::string& text) {
  std::string out = "SPDXRef-";
  for (char c : text) {
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '-';
  }
  return out;
}

}  // namespace

std::string RandomUuid() {
  std::random_device rd;
  std::uniform_int_distribution<int> dist(0, 15);
  const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    int v = dist(rd);
    if (i == 12) v = 4;            // version 4
    if (i == 16) v = 8 | (v & 3);  // variant 10xx
    out += hex[v];
  }
  return out;
}

nlohmann::json ToSpdx(const SbomSubject& subject, const std::vector<Package>& packages,
                      const SbomOptions& options) {
  nlohmann::json doc;
  doc["spdxVersion"] = "SPDX-2.3";
  doc["dataLicense"] = "CC0-1.0";
  doc["SPDXID"] = "SPDXRef-DOCUMENT";
  doc["name"] = subject.name;
  doc["documentNamespace"] = "https://distill.invalid/spdx/" + subject.digest + "-" + options.uuid;
  doc["creationInfo"] = {{"created", Rfc3339(options.created_unix)},
                         {"creators", {std::string("Tool: distill-") + kVersion}}};
  nlohmann::json list = nlohmann::json::array();
  std::string image_id = "SPDXRef-image";
  list.push_back({{"SPDXID", image_id},
                  {"name", subject.name},
                  {"versionInfo", subject.digest},
                  {"downloadLocation", "NOASSERTION"},
                  {"licenseConcluded", "NOASSERTION"},
                  {"licenseDeclared", "NOASSERTION"},
                  {"primaryPackagePurpose", "CONTAINER"},
                  {"checksums",
                   {{{"algorithm", "SHA256"},
                     {"checksumValue", subject.digest.substr(subject.digest.find(':') + 1)}}}}});
  nlohmann::json relationships = nlohmann::json::array();
  relationships.push_back({{"spdxElementId", "SPDXRef-DOCUMENT"},
                           {"relationshipType", "DESCRIBES"},
                           {"relatedSpdxElement", image_id}});
  int n = 0;
  for (const auto& p : packages) {
    std::string id = SpdxId(p.ecosystem + "-" + p.name + "-" + std::to_string(++n));
    nlohmann::json pkg = {
        {"SPDXID", id},
        {"name", p.name},
        {"versionInfo", p.version},
        {"downloadLocation", "NOASSERTION"},
        {"licenseConcluded", "NOASSERTION"},
        // Free-text license names are not SPDX expressions; only say what we know.
        {"licenseDeclared", "NOASSERTION"},
        {"externalRefs",
         {{{"referenceCategory", "PACKAGE-MANAGER"},
           {"referenceType", "purl"},
           {"referenceLocator", p.Purl()}}}}};
    if (!p.license.empty()) pkg["licenseComments"] = p.license;
    if (!p.location.empty()) pkg["sourceInfo"] = "found in " + p.location;
    list.push_back(pkg);
    relationships.push_back({{"spdxElementId", image_id},
                             {"relationshipType", "CONTAINS"},
                             {"relatedSpdxElement", id}});
  }
  doc["packages"] = list;
  doc["relationships"] = relationships;
  return doc;
}

nlohmann::json ToCycloneDx(const SbomSubject& subject, const std::vector<Package>& packages,
                           const SbomOptions& options) {
  nlohmann::json doc;
  doc["bomFormat"] = "CycloneDX";
  doc["specVersion"] = "1.5";
  doc["serialNumber"] = "urn:uuid:" + options.uuid;
  doc["version"] = 1;
  doc["metadata"] = {
      {"timestamp", Rfc3339(options.created_unix)},
      {"tools",
       {{"components", {{{"type", "application"}, {"name", "distill"}, {"version", kVersion}}}}}},
      {"component",
       {{"type", "container"},
        {"name", subject.name},
        {"version", subject.digest},
        {"bom-ref", subject.digest}}}};
  nlohmann::json components = nlohmann::json::array();
  for (const auto& p : packages) {
    nlohmann::json c = {{"type", "library"},
                        {"name", p.name},
                        {"version", p.version},
                        {"purl", p.Purl()},
                        {"bom-ref", p.Purl()}};
    if (!p.license.empty()) c["licenses"] = {{{"license", {{"name", p.license}}}}};
    components.push_back(c);
  }
  doc["components"] = components;
  return doc;
}

}  // namespace distill::inspect
