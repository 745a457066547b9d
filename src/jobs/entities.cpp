#include "entities.hpp"

#include <algorithm>

namespace salesint::jobs {
namespace {

const std::vector<EntityType>& entity_types() {
    static const std::vector<EntityType> kTypes{
        {{"order", "orders"}, "externalOrderId", "updatedAt", "fsm.order.intake.v2", {}},
        {{"customer", "customers"},
         "id",
         "updatedAt",
         "",
         {"customer", "billing_contact", "technical_contact", "decision_maker"}},
        {{"contact", "contacts"},
         "id",
         "updatedAt",
         "",
         {"customer", "billing_contact", "technical_contact", "decision_maker"}},
        {{"user", "users"},
         "id",
         "updatedAt",
         "",
         {"sales_rep", "sales_manager", "technician", "dispatcher", "viewer"}},
        {{"technician", "technicians"}, "id", "updatedAt", "", {}},
        {{"product", "products"}, "id", "updatedAt", "", {}},
        {{"account", "accounts"}, "id", "updatedAt", "", {}},
        {{"lead", "leads"}, "id", "updatedAt", "", {}},
        {{"opportunity", "opportunities"}, "id", "updatedAt", "", {}},
        {{"quote", "quotes"}, "id", "updatedAt", "", {}},
        {{"appointment", "appointments"}, "id", "updatedAt", "", {}},
    };
    return kTypes;
}

}  // namespace

const EntityType* find_entity_type(std::string_view name) {
    for (const EntityType& type : entity_types()) {
        if (std::find(type.names.begin(), type.names.end(), name) != type.names.end()) {
            return &type;
        }
    }
    return nullptr;
}

}  // namespace salesint::jobs
