// The scheme singletons, one per file, gathered by scheme_named().
#pragma once

#include "salesint/webhooks/scheme.hpp"

namespace salesint::webhooks {

const Scheme& fsm_scheme();
const Scheme& standard_scheme();
const Scheme& stripe_scheme();
const Scheme& github_scheme();

}  // namespace salesint::webhooks
