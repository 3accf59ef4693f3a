// Stored tag names shown the way the docker CLI shows them. Tags are stored
// normalised ("docker.io/library/python:3.9"; store::NormalizeImageName) and
// shown in familiar form ("python:3.9").
#pragma once

#include <string>
#include <string_view>

namespace distill::images {

// A stored (normalised) tag split for display: {"python", "3.9"}. A name that
// does not parse (written by something else) is shown as is, with "<none>".
struct RepoTag {
  std::string repository;
  std::string tag;
  std::string Familiar() const { return repository + ":" + tag; }
};
RepoTag SplitStoredName(std::string_view stored_name);

}  // namespace distill::images
