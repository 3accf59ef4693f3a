// Cache keys: a content-based name for "this step, applied to this parent, with
// these inputs". Two builds that compute the same key may reuse each other's
// result, so the format is FOREVER: any change to what goes in, or how it is
// encoded, must bump kCacheKeyVersion (old records then simply never match).
//
// Format, version 1:
//
//   key = "sha256:" + hex(SHA-256(
//           "distill-cache-v1" "\0"
//           field("parent", parent key)
//           definition fields (below, in this order)
//           field("input#", n) then field("input", digest) for each input digest))
//
//   field(name, value) = name ":" <decimal byte length of value> ":" value "\n"
//   lists              = field(name + "#", count) then one field per element
//   pairs (env, label) = field(name + "#", count) then field(name + ".k", k), field(name + ".v", v)
//
//   parent key: the previous step's key; for a stage's first step, the base
//   image's manifest digest ("sha256:..."), "scratch", or the final key of the
//   stage it is FROM.
//
// The definition of a step ("kind" = the keyword, then "platform", then, by kind):
//   RUN     argv (exactly as it will run, shell form through SHELL), env (image env
//           + build args, in order, WITHOUT proxy variables), user, workdir,
//           network, security, each mount (type, target, source, from, id,
//           readonly, sharing, mode, uid, gid, size, required, env; a secret's or
//           ssh socket's id only — never the value nor its host path), heredocs.
//   COPY/ADD sources, heredoc sources (name, content, expand), dest, from, chown,
//           chmod, link, parents, excludes, checksum, keep-git-dir, workdir;
//           the selected content enters through the input digests.
//   WORKDIR path, user.
//   ENV, LABEL: the pairs; CMD, ENTRYPOINT: exec-form flag, args, shell; SHELL,
//           USER, EXPOSE, VOLUME, STOPSIGNAL, HEALTHCHECK, MAINTAINER, ONBUILD:
//           their expanded values.
//
// ARG steps do not change the key at all (StepChangesKey is false): a build
// arg only matters through the env of the RUN steps that see it, where it is
// hashed. Proxy variables, timestamps, the progress mode and the order in which
// unrelated stages ran never enter a key.
#pragma once

#include <string>
#include <vector>

#include "frontend/plan.h"
#include "oci/digest.h"

namespace distill::solver {

inline constexpr const char* kCacheKeyVersion = "distill-cache-v1";

// Parent key of a stage whose base is `scratch`.
inline constexpr const char* kScratchParentKey = "scratch";

// Everything about a step the solver decides at run time, not the frontend.
struct StepKeyContext {
  std::string platform;             // "linux/amd64"
  frontend::EnvList env;            // the env the step sees (no proxy variables)
  std::vector<oci::Digest> inputs;  // content digests of what it reads (COPY/ADD, bind mounts)
};

// Whether the step contributes to keys (everything but ARG).
bool StepChangesKey(const frontend::Step& step);

// The canonical encoding of the step's definition (the middle part of the
// format above); exposed so tests and `--debug` output can show it.
std::string EncodeStepDefinition(const frontend::Step& step, const StepKeyContext& context);

// The step's key, "sha256:<hex>". The solver does not call it for steps where
// StepChangesKey is false: their key is their parent's.
std::string StepCacheKey(const std::string& parent_key, const frontend::Step& step,
                         const StepKeyContext& context);

}  // namespace distill::solver
