// --output: the built image written outside the store, through transport/
// (archives) or as plain files (type=local).
#include <filesystem>
#include <sstream>

#include "archive/extract.h"
#include "builder/build.h"
#include "store/image_store.h"
#include "transport/image_export.h"
#include "util/file_system.h"

namespace distill::builder {

Result<OutputSpec> ParseOutputSpec(const std::string& text) {
  OutputSpec out;
  std::stringstream fields(text);
  std::string field;
  while (std::getline(fields, field, ',')) {
    size_t eq = field.find('=');
    if (eq == std::string::npos) {
      // "--output DIR" is short for type=local,dest=DIR (as in docker build).
      if (text.find(',') == std::string::npos && text.find('=') == std::string::npos) {
        return OutputSpec{"local", text};
      }
      return Status::Invalid("--output " + text + ": \"" + field + "\" is not KEY=VALUE");
    }
    std::string key = field.substr(0, eq), value = field.substr(eq + 1);
    if (key == "type") {
      out.type = value;
    } else if (key == "dest") {
      out.dest = value;
    } else {
      return Status::Invalid("--output " + text + ": unknown key \"" + key + "\"");
    }
  }
  if (out.type != "oci" && out.type != "docker" && out.type != "local") {
    return Status::Invalid("--output " + text + ": type must be oci, docker or local");
  }
  if (out.dest.empty()) return Status::Invalid("--output " + text + ": missing dest=");
  return out;
}

Status ExportOutput(const std::string& store_root, const oci::Digest& image,
                    const OutputSpec& output) {
  DISTILL_ASSIGN_OR_RETURN(auto store, store::Store::Open(store_root, DefaultFileSystem()));
  if (output.type == "oci" || output.type == "docker") {
    auto format = output.type == "oci" ? transport::ArchiveFormat::kOciArchive
                                       : transport::ArchiveFormat::kDockerArchive;
    return transport::SaveArchive(*store, {image.str()}, format, output.dest)
        .Prefixed("--output " + output.dest);
  }
  DISTILL_ASSIGN_OR_RETURN(store::StoredImage stored,
                           store::ReadImageByDigest(*store, image, image.str()));
  DISTILL_ASSIGN_OR_RETURN(std::vector<store::ImageLayer> layers, store::LayersOf(stored));
  std::error_code ec;
  std::filesystem::create_directories(output.dest, ec);
  if (ec) return Status::Io("--output " + output.dest + ": " + ec.message());
  for (const store::ImageLayer& layer : layers) {
    DISTILL_ASSIGN_OR_RETURN(auto tar, store::OpenLayerTar(*store, layer.descriptor));
    archive::ExtractOptions options;
    options.source_name = "layer " + layer.descriptor.digest.str();
    DISTILL_RETURN_IF_ERROR(
        archive::ExtractTar(tar.get(), output.dest, options).Prefixed("--output " + output.dest));
  }
  return Status::Ok();
}

}  // namespace distill::builder
