#include "exec/default_seccomp_program.h"

#include "exec/capabilities.h"
#include "exec/seccomp_profile.h"

namespace distill::exec {

Result<std::string> SeccompProgramFor(uint64_t granted_caps) {
  if (granted_caps == CapabilityMask(DockerDefaultCapabilities())) {
    return std::string(DefaultSeccompProgram());
  }
  DISTILL_ASSIGN_OR_RETURN(SeccompFilter filter, BuildDefaultSeccompFilter(granted_caps));
  return filter.ExportProgram();
}

}  // namespace distill::exec
