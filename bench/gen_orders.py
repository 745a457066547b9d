#!/usr/bin/env python3
"""Writes N valid PYXIS order intakes (varied, about 0.8 KB each, updatedAt
increasing by one second) as NDJSON and the same records as CSV with the
header conventions of `job import` (README.md: dotted names nest, numeric
segments make arrays, :integer / :boolean / :json suffixes, empty cells left
out):

    bench/gen_orders.py N orders.ndjson orders.csv
"""
import csv
import datetime
import json
import sys

FIRST = ["John", "Maria", "Wei", "Aisha", "Lukas", "Sofia", "Kenji", "Olga", "Tomas", "Priya"]
LAST = ["Doe", "Garcia", "Chen", "Khan", "Novak", "Rossi", "Tanaka", "Ivanova", "Silva", "Patel"]
CITIES = [("San Francisco", "CA", "941"), ("Austin", "TX", "787"), ("Denver", "CO", "802"),
          ("Boston", "MA", "021"), ("Seattle", "WA", "981"), ("Chicago", "IL", "606")]
STREETS = ["Main St", "Oak Ave", "Pine Rd", "Market St", "Elm Dr", "Harbor Blvd", "Cedar Ln"]
# price in cents
PRODUCTS = [("PROD-FIBER-1GB", "Fiber Internet 1GB", 9999, True),
            ("PROD-FIBER-500", "Fiber Internet 500MB", 6999, True),
            ("PROD-ROUTER-AX", "Wi-Fi 6 Router", 14900, True),
            ("PROD-MESH-NODE", "Mesh Node", 7950, True),
            ("PROD-TV-BASIC", "TV Basic Package", 2999, False),
            ("PROD-SUPPORT-PLUS", "Support Plus", 999, False)]
ORDER_TYPES = ["INSTALLATION", "REPAIR", "MAINTENANCE", "UPGRADE"]
PRIORITIES = ["LOW", "MEDIUM", "HIGH", "URGENT", "EMERGENCY"]
CONTACT = ["EMAIL", "SMS", "PHONE"]
SKILLS = ["FIBER_INSTALLATION", "ROUTER_SETUP", "CABLE_REPAIR", "TV_SETUP"]
ITEMS = 2  # CSV columns for up to two service items

COLUMNS = ["externalOrderId", "salesSystem", "orderType", "priority",
           "customer.customerId", "customer.firstName", "customer.lastName", "customer.email",
           "customer.phone", "customer.preferredContactMethod",
           "serviceAddress.street", "serviceAddress.city", "serviceAddress.state",
           "serviceAddress.postalCode", "serviceAddress.country"]
for n in range(ITEMS):
    COLUMNS += ["serviceItems.%d.itemId" % n, "serviceItems.%d.productId" % n,
                "serviceItems.%d.productName" % n, "serviceItems.%d.quantity:integer" % n,
                "serviceItems.%d.unitPrice.amount" % n, "serviceItems.%d.unitPrice.currency" % n,
                "serviceItems.%d.requiresInstallation:boolean" % n]
COLUMNS += ["totalAmount.subtotal", "totalAmount.tax", "totalAmount.total",
            "totalAmount.currency", "schedulingPreferences.preferredDate",
            "schedulingPreferences.timeWindow.start", "schedulingPreferences.timeWindow.end",
            "schedulingPreferences.notes", "requiredSkills:json", "estimatedDuration:integer",
            "updatedAt"]


def cents(value):
    return "%d.%02d" % divmod(value, 100)


def main():
    count = int(sys.argv[1])
    base = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
    with open(sys.argv[2], "w") as nd, open(sys.argv[3], "w", newline="") as cf:
        writer = csv.writer(cf, lineterminator="\n")
        writer.writerow(COLUMNS)
        for i in range(count):
            first, last = FIRST[i % 10], LAST[(i // 10) % 10]
            city, state, zip3 = CITIES[i % 6]
            items, subtotal, row_items = [], 0, []
            for n in range(2 if i % 3 == 0 else 1):
                product, name, price, install = PRODUCTS[(i + 2 * n) % 6]
                quantity = 1 if install else 1 + (i + n) % 3
                items.append({"itemId": "ITEM-%03d" % (n + 1), "productId": product,
                              "productName": name, "quantity": quantity,
                              "unitPrice": {"amount": cents(price), "currency": "USD"},
                              "requiresInstallation": install})
                row_items += ["ITEM-%03d" % (n + 1), product, name, quantity, cents(price),
                              "USD", "true" if install else "false"]
                subtotal += price * quantity
            row_items += [""] * (7 * ITEMS - len(row_items))
            tax = (subtotal * 85 + 500) // 1000
            updated = (base + datetime.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
            skills = [SKILLS[i % 4], SKILLS[(i + 1) % 4]]
            email = "%s.%s.%d@example.com" % (first.lower(), last.lower(), i)
            phone = "+1-555-%07d" % (i % 10000000)
            date = "2026-12-%02d" % (1 + i % 28)
            window = ("08:00", "12:00") if i % 2 else ("13:00", "17:00")
            notes = "Call ahead; gate code %04d, dog in the yard" % (i % 10000) if i % 4 == 2 else ""
            order = {
                "externalOrderId": "PX-%08d" % i,
                "salesSystem": "PYXIS",
                "orderType": ORDER_TYPES[i % 4],
                "priority": PRIORITIES[i % 5],
                "customer": {"customerId": "CUST-%07d" % (i % 250000), "firstName": first,
                             "lastName": last, "email": email, "phone": phone,
                             "preferredContactMethod": CONTACT[i % 3]},
                "serviceAddress": {"street": "%d %s" % (1 + i % 9999, STREETS[i % 7]),
                                   "city": city, "state": state,
                                   "postalCode": "%s%02d" % (zip3, i % 100), "country": "US"},
                "serviceItems": items,
                "totalAmount": {"subtotal": cents(subtotal), "tax": cents(tax),
                                "total": cents(subtotal + tax), "currency": "USD"},
                "requiredSkills": skills,
                "estimatedDuration": 30 * (1 + i % 6),
                "updatedAt": updated,
            }
            if i % 2 == 0:
                order["schedulingPreferences"] = {"preferredDate": date, "timeWindow": {
                    "start": window[0], "end": window[1]}}
                if notes:
                    order["schedulingPreferences"]["notes"] = notes
            else:
                date, window, notes = "", ("", ""), ""
            nd.write(json.dumps(order, separators=(",", ":")))
            nd.write("\n")
            c = order["customer"]
            a = order["serviceAddress"]
            t = order["totalAmount"]
            writer.writerow([order["externalOrderId"], "PYXIS", order["orderType"],
                             order["priority"], c["customerId"], first, last, email, phone,
                             c["preferredContactMethod"], a["street"], city, state,
                             a["postalCode"], "US"] + row_items +
                            [t["subtotal"], t["tax"], t["total"], "USD", date, window[0],
                             window[1], notes, json.dumps(skills, separators=(",", ":")),
                             order["estimatedDuration"], updated])


if __name__ == "__main__":
    main()
