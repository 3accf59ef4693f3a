// What every verb shares: the store it works on and how it reports a failure.
#include <iostream>

#include "cli/verbs.h"
#include "store/store_root.h"
#include "util/file_system.h"

namespace distill::cli {

Result<std::unique_ptr<store::Store>> OpenStore(const Context& ctx) {
  DISTILL_ASSIGN_OR_RETURN(std::string root, store::DefaultStoreRoot(ctx.root));
  return store::Store::Open(root, DefaultFileSystem());
}

bool Report(const Status& st, Context& ctx, int exit_code) {
  if (st.ok()) return true;
  std::cerr << "distill: " << st.message() << "\n";
  ctx.exit_code = exit_code;
  return false;
}

}  // namespace distill::cli
