#include "salesint/execute/registry.hpp"

#include "adapters/adapters.hpp"
#include "embedded_fixtures.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/strings.hpp"
#include "salesint/util/suggest.hpp"

namespace salesint::execute {

const std::vector<const Adapter*>& adapters() {
    static const std::vector<const Adapter*> kAdapters{&erp_create_order(),
                                                       &quote_send_email(),
                                                       &order_intake(),
                                                       &slot_availability(),
                                                       &installation_outcome_notify(),
                                                       &appointment_scheduled_notify()};
    return kAdapters;
}

const Adapter& adapter_named(const std::string& id) {
    std::vector<std::string> known;
    for (const Adapter* adapter : adapters()) {
        if (adapter->info().id == id) {
            return *adapter;
        }
        known.push_back(adapter->info().id);
    }
    const std::string suggestion = did_you_mean(id, known);
    throw not_found("no adapter '" + id + "'" +
                    (suggestion.empty() ? "; known: " + join(known, ", ") : suggestion));
}

std::string_view embedded_fixture(std::string_view path) {
    for (const EmbeddedFile& file : embedded_fixtures()) {
        if (file.path == path) {
            return file.text;
        }
    }
    return {};
}

}  // namespace salesint::execute
