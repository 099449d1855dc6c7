// SPDX-License-Identifier: Apache-2.0
// The `kerbside` command: dispatches to the sub-commands registered in cmd_*.cpp.
#include "command.h"

#include <QCoreApplication>

#include <cstdio>

namespace kerbside::cli {

static QList<Command> &registry()
{
    static QList<Command> all;
    return all;
}

CommandRegistration::CommandRegistration(Command command)
{
    registry().append(std::move(command));
}

const QList<Command> &commands()
{
    return registry();
}

void out(const QString &line)
{
    const QByteArray bytes = line.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fputc('\n', stdout);
}

void err(const QString &line)
{
    const QByteArray bytes = line.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fputc('\n', stderr);
}

static int usage(int code)
{
    auto print = code == 0 ? out : err;
    print(QStringLiteral("usage: kerbside <command> [args...]\n\ncommands:"));
    QList<Command> sorted = commands();
    std::sort(sorted.begin(), sorted.end(),
              [](const Command &a, const Command &b) { return a.name < b.name; });
    for (const Command &c : sorted)
        print(QStringLiteral("  %1  %2").arg(c.name.leftJustified(10), c.summary));
    return code;
}

} // namespace kerbside::cli

int main(int argc, char **argv)
{
    using namespace kerbside::cli;
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("kerbside"));
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty())
        return usage(2);
    QString name = args.takeFirst();
    const auto isHelp = [](const QString &a) { return a == QLatin1String("--help") || a == QLatin1String("-h"); };
    bool help = false; // `kerbside help NAME` and `kerbside NAME --help` print NAME's usage
    if (name == QLatin1String("help") || isHelp(name)) {
        if (args.isEmpty())
            return usage(0);
        name = args.takeFirst();
        help = true;
    }
    help |= !args.isEmpty() && isHelp(args.first());
    for (const Command &c : commands()) {
        if (c.name != name)
            continue;
        if (help) {
            out(c.usage.isEmpty() ? QStringLiteral("kerbside %1: %2").arg(c.name, c.summary) : c.usage);
            return 0;
        }
        return c.run(args);
    }
    err(QStringLiteral("kerbside: unknown command '%1'").arg(name));
    return usage(2);
}
