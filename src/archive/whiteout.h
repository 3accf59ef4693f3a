// Whiteouts: how a layer says "this path from lower layers is gone".
//
// OCI image layers (image-spec layer.md) use empty marker files: `.wh.NAME`
// deletes NAME, and `DIR/.wh..wh..opq` hides everything lower layers put in DIR.
// overlayfs upper directories say the same with a 0/0 character device named
// NAME and an "opaque" xattr on DIR. These helpers translate between the two.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace distill::archive {

inline constexpr std::string_view kWhiteoutPrefix = ".wh.";
inline constexpr std::string_view kOpaqueWhiteoutName = ".wh..wh..opq";
// overlayfs marks opaque directories with one of these (user.* when mounted
// with "userxattr", as rootless overlay does); the value is "y".
inline constexpr std::string_view kOverlayOpaqueXattr = "trusted.overlay.opaque";
inline constexpr std::string_view kOverlayUserOpaqueXattr = "user.overlay.opaque";

// True for the opaque-directory marker name `.wh..wh..opq`.
bool IsOpaqueWhiteout(std::string_view base_name);

// For `.wh.NAME` returns NAME; nullopt for other names, for the opaque marker,
// and for the reserved `.wh..wh.*` names.
std::optional<std::string> WhiteoutTarget(std::string_view base_name);

// "dir/name" → "dir/.wh.name"; "name" → ".wh.name".
std::string WhiteoutPathFor(std::string_view path);

// xattrs overlayfs keeps for itself (trusted.overlay.*, user.overlay.*): they
// describe the overlay, not the file, and never belong in a layer.
bool IsOverlayPrivateXattr(std::string_view name);

// Splits "a/b/c" into ("a/b", "c") and "c" into ("", "c").
std::pair<std::string_view, std::string_view> SplitParent(std::string_view path);

}  // namespace distill::archive
