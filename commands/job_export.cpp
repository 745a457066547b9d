// salesint job export
#include "groups.hpp"

namespace salesint::cli {

void install_job_export(Command /*group*/) {}

}  // namespace salesint::cli
