// Debian package versions ([epoch:]upstream[-revision]) and their ordering,
// as Debian policy §5.6.12 defines it and dpkg implements it: `~` sorts before
// everything (even the end of the string), letters before other characters,
// and runs of digits compare as numbers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::debian {

struct Version {
  unsigned long epoch = 0;
  std::string upstream;
  std::string revision;  // empty when the version has no '-'

  // Parses a version as found in a Packages file or a dependency. Rejects what
  // dpkg rejects: an empty string, a non-numeric epoch, nothing after the
  // colon, an empty revision, or embedded spaces.
  static Result<Version> Parse(std::string_view text);
  std::string str() const;
};

// <0, 0 or >0 as a sorts before, equal to, or after b.
int CompareVersions(const Version& a, const Version& b);
// Compares two version strings; an unparsable string sorts as its raw text
// would after dpkg's fallback (it is parsed leniently: whole text as upstream).
int CompareVersionStrings(std::string_view a, std::string_view b);

// The version relations of dependency fields.
enum class Relation { kLess, kLessEqual, kEqual, kGreaterEqual, kGreater };

// Parses "<<", "<=", "=", ">=", ">>" and the obsolete "<" (meaning <=) and ">"
// (meaning >=). nullopt for anything else.
std::optional<Relation> ParseRelation(std::string_view op);
std::string_view RelationSymbol(Relation relation);

// True when `candidate` satisfies "relation reference", e.g. 1.2 satisfies ">= 1.0".
bool Satisfies(const Version& candidate, Relation relation, const Version& reference);

}  // namespace distill::debian
