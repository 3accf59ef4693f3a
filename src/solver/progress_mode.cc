#include "solver/progress_mode.h"

#include "solver/json_progress.h"
#include "solver/plain_progress.h"

namespace distill::solver {

namespace {

class QuietProgress : public ProgressSink {
 public:
  void OnEvent(const ProgressEvent&) override {}
};

}  // namespace

Result<ProgressMode> ParseProgressMode(const std::string& text) {
  if (text == "auto") return ProgressMode::kAuto;
  if (text == "plain") return ProgressMode::kPlain;
  if (text == "tty") return ProgressMode::kTty;
  if (text == "json") return ProgressMode::kJson;
  if (text == "quiet") return ProgressMode::kQuiet;
  return Status::Invalid("--progress=" + text +
                         ": unknown progress mode (use auto, plain, tty, json or quiet)");
}

std::unique_ptr<ProgressSink> MakeProgressSink(ProgressMode mode, std::ostream* out,
                                               bool out_is_terminal, const Clock* clock,
                                               TtyProgressOptions tty_options) {
  if (mode == ProgressMode::kAuto) {
    mode = out_is_terminal ? ProgressMode::kTty : ProgressMode::kPlain;
  }
  switch (mode) {
    case ProgressMode::kTty:
      return std::make_unique<TtyProgress>(out, clock, tty_options);
    case ProgressMode::kJson:
      return std::make_unique<JsonProgress>(out);
    case ProgressMode::kQuiet:
      return std::make_unique<QuietProgress>();
    case ProgressMode::kAuto:
    case ProgressMode::kPlain:
      break;
  }
  return std::make_unique<PlainProgress>(out);
}

}  // namespace distill::solver
