#include "cli/verbs.h"

int main(int argc, char** argv) {
  return distill::cli::Main(argc, argv);
}
