// The adapters of the registry, one file each.
#pragma once

#include "salesint/execute/adapter.hpp"

namespace salesint::execute {

const Adapter& erp_create_order();
const Adapter& quote_send_email();
const Adapter& order_intake();
const Adapter& slot_availability();
const Adapter& installation_outcome_notify();
const Adapter& appointment_scheduled_notify();

}  // namespace salesint::execute
