// libpq, loaded on first use: linked into salesint, it and the libraries it
// needs (Kerberos, LDAP) would be loaded by every command at start, whether
// its state is PostgreSQL or a SQLite file. The PostgreSQL store calls it
// through this table instead, as the Kafka sink calls librdkafka.
#pragma once

#include <libpq-fe.h>

namespace salesint::store::pg {

struct LibPq {
    decltype(&::PQconnectdb) connectdb;
    decltype(&::PQstatus) status;
    decltype(&::PQerrorMessage) error_message;
    decltype(&::PQfinish) finish;
    decltype(&::PQsetNoticeProcessor) set_notice_processor;
    decltype(&::PQexec) exec;
    decltype(&::PQprepare) prepare;
    decltype(&::PQexecPrepared) exec_prepared;
    decltype(&::PQresultStatus) result_status;
    decltype(&::PQresultErrorField) result_error_field;
    decltype(&::PQresultErrorMessage) result_error_message;
    decltype(&::PQclear) clear;
    decltype(&::PQntuples) ntuples;
    decltype(&::PQnfields) nfields;
    decltype(&::PQgetvalue) getvalue;
    decltype(&::PQgetisnull) getisnull;
    decltype(&::PQgetlength) getlength;
    decltype(&::PQcmdTuples) cmd_tuples;
    decltype(&::PQunescapeBytea) unescape_bytea;
    decltype(&::PQfreemem) freemem;
};

// The table, loading libpq.so.5 the first time; an Error naming the library
// and its Debian package when it cannot be loaded.
const LibPq& libpq();

}  // namespace salesint::store::pg
