// A thin RAII layer over the SQLite C API: one connection, prepared statements that
// bind and read by position, and a transaction guard. Errors come back as Status
// values naming the database file and SQLite's message; nothing throws.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace distill::store {

class SqliteStatement {
 public:
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters are numbered from 1, as in SQLite.
  SqliteStatement& Bind(int index, std::string_view text);
  SqliteStatement& Bind(int index, int64_t value);
  // true: a row is available; false: the statement is done.
  Result<bool> Step();
  // Runs to completion, ignoring rows.
  Status Run();
  // Columns are numbered from 0, as in SQLite.
  std::string ColumnText(int column) const;
  int64_t ColumnInt(int column) const;
  // Makes the statement ready to bind and run again.
  void Reset();

 private:
  friend class SqliteDb;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::string where)
      : db_(db), stmt_(stmt), where_(std::move(where)) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string where_;
  Status bind_error_;
};

class SqliteDb {
 public:
  // Opens (creating) the database at `path` (":memory:" for a private in-memory one).
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements without results.
  Status Exec(std::string_view sql);
  Result<std::unique_ptr<SqliteStatement>> Prepare(std::string_view sql);
  const std::string& path() const { return path_; }
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int changes() const;

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

// BEGIN IMMEDIATE on construction (taking the write lock up front, so two writers
// queue on busy_timeout instead of failing to upgrade); ROLLBACK on destruction
// unless Commit() succeeded.
class SqliteTransaction {
 public:
  static Result<std::unique_ptr<SqliteTransaction>> Begin(SqliteDb* db);
  ~SqliteTransaction();
  Status Commit();

 private:
  explicit SqliteTransaction(SqliteDb* db) : db_(db) {}
  SqliteDb* db_;
  bool done_ = false;
};

}  // namespace distill::store
