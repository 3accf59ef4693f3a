#include "runtime/names.h"

#include <sys/random.h>

#include <cctype>
#include <cerrno>
#include <iterator>

namespace distill::runtime {
namespace {

const char* const kAdjectives[] = {"amber",  "bold",   "brisk",   "calm",   "clever", "cosmic",
                                   "daring", "eager",  "fervent", "gentle", "happy",  "keen",
                                   "lucid",  "merry",  "nimble",  "placid", "quiet",  "rapid",
                                   "serene", "steady", "sunny",   "tender", "vivid",  "witty"};
// People from the history of computing.
const char* const kNouns[] = {"babbage", "backus",  "cerf",    "dijkstra", "hamilton", "hopper",
                              "kahan",   "knuth",   "lamport", "liskov",   "lovelace", "mccarthy",
                              "perlman", "ritchie", "shannon", "thompson", "torvalds", "turing",
                              "wirth",   "wozniak", "yonath",  "allen",    "bartik",   "clarke"};

}  // namespace

Result<std::string> RandomContainerId() {
  unsigned char bytes[32];
  size_t got = 0;
  while (got < sizeof(bytes)) {
    ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno("getrandom for a container ID", errno);
    got += static_cast<size_t>(n);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

std::string RandomContainerName(uint64_t random) {
  size_t a = random % std::size(kAdjectives);
  size_t n = (random / std::size(kAdjectives)) % std::size(kNouns);
  return std::string(kAdjectives[a]) + "_" + kNouns[n];
}

Status ValidateContainerName(std::string_view name) {
  bool ok = !name.empty() && std::isalnum(static_cast<unsigned char>(name[0]));
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') {
      ok = false;
    }
  }
  if (!ok) {
    return Status::Invalid("invalid container name \"" + std::string(name) +
                           "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
  }
  return Status::Ok();
}

}  // namespace distill::runtime
