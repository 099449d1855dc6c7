// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

#include <functional>

namespace kerbside::cli {

/** One `kerbside <name> ...` sub-command. Each cmd_*.cpp registers itself with a static
 *  CommandRegistration, so adding a command touches only its own file and CMakeLists. */
struct Command {
    QString name;     // "expr", "form", "serve", ...
    QString summary;  // one line for `kerbside help`
    // args excludes the program and command name. Returns the process exit code.
    std::function<int(const QStringList &args)> run;
    QString usage;    // printed by `kerbside help NAME` and `kerbside NAME --help`
};

struct CommandRegistration {
    explicit CommandRegistration(Command command);
};

const QList<Command> &commands();

// Output helpers: UTF-8 to stdout / stderr, newline added.
void out(const QString &line);
void err(const QString &line);

} // namespace kerbside::cli
