// SPDX-License-Identifier: Apache-2.0
// `kerbside user add|list|disable|password`: the dashboard's accounts (sync/dashboard).
#include "collectorcli.h"

#include "passwords.h"

#include <QRegularExpression>
#include <QTextStream>

#include <cstdio>

namespace {

using namespace kerbside;
using namespace kerbside::cli;
namespace passwords = kerbside::dashboard::passwords;

const QString kUsage = QStringLiteral(
    "usage: kerbside user add NAME --role coordinator|analyst [--case-study ID ...] [--password-stdin] --db PATH\n"
    "       kerbside user list --db PATH\n"
    "       kerbside user disable NAME --db PATH\n"
    "       kerbside user password NAME [--password-stdin] --db PATH\n"
    "  No --case-study: the user sees every case study. Without --password-stdin a one-time\n"
    "  password is generated and printed once; it must be changed at the first sign-in.\n"
    "  An analyst can read and export; a coordinator can also enrol, revoke, publish and resolve.");

// The password from stdin (first line) or a generated one-time password. "" on refusal.
QString takePassword(const CollectorArgs &args, bool *generated)
{
    *generated = !args.has(QStringLiteral("password-stdin"));
    if (*generated)
        return passwords::generate();
    QTextStream in(stdin);
    const QString password = in.readLine();
    QString reason;
    if (!passwords::acceptable(password, &reason)) {
        err(QStringLiteral("kerbside user: %1").arg(reason));
        return {};
    }
    return password;
}

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv, {QStringLiteral("db"), QStringLiteral("role"), QStringLiteral("case-study")},
                            {QStringLiteral("password-stdin")}, kUsage, &args))
        return kExitUsage;
    const QString verb = args.positional.value(0);
    const QString name = args.positional.value(1);
    static const QRegularExpression nameRe(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$"));
    const bool wantsName = verb == QLatin1String("add") || verb == QLatin1String("disable") || verb == QLatin1String("password");
    if ((verb != QLatin1String("list") && !wantsName) || (wantsName && (args.positional.size() != 2 || !nameRe.match(name).hasMatch()))
        || (verb == QLatin1String("list") && args.positional.size() != 1)) {
        if (wantsName && !name.isEmpty() && !nameRe.match(name).hasMatch())
            err(QStringLiteral("a user name is 1-64 letters, digits, '_', '.', '@', '-'"));
        err(kUsage);
        return kExitUsage;
    }
    const QString role = args.value(QStringLiteral("role"));
    if (verb == QLatin1String("add") && role != QLatin1String("coordinator") && role != QLatin1String("analyst")) {
        err(QStringLiteral("--role wants coordinator or analyst"));
        return kExitUsage;
    }
    std::unique_ptr<CollectorStore> store = openCollectorDb(args, kUsage);
    if (!store)
        return kExitDatabase;
    try {
        if (verb == QLatin1String("list")) {
            for (const DashboardUser &u : store->users())
                out(QStringLiteral("%1  %2  %3%4%5").arg(u.name, u.role,
                        u.caseStudies.isEmpty() ? QStringLiteral("all case studies") : u.caseStudies.join(QStringLiteral(",")),
                        u.disabled ? QStringLiteral("  disabled") : QString(),
                        u.mustChange ? QStringLiteral("  one-time password") : QString()));
            return kExitOk;
        }
        if (verb == QLatin1String("disable")) {
            std::optional<DashboardUser> u = store->user(name);
            if (!u)
                throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown user %1").arg(name));
            u->disabled = true;
            store->updateUser(*u);
            store->deleteUserSessions(name);
            out(QStringLiteral("disabled %1 (signed out everywhere)").arg(name));
            return kExitOk;
        }
        std::optional<DashboardUser> existing = store->user(name);
        if (verb == QLatin1String("password") && !existing)
            throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown user %1").arg(name));
        QStringList caseStudies = args.values(QStringLiteral("case-study"));
        QStringList known;
        for (const CaseStudyRecord &c : store->caseStudies())
            known.append(c.id);
        for (const QString &cs : caseStudies) {
            if (!known.contains(cs))
                throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown case study %1").arg(cs));
        }
        bool generated = false;
        const QString password = takePassword(args, &generated);
        if (password.isEmpty())
            return kExitRefused;
        DashboardUser u = existing.value_or(DashboardUser{});
        u.passwordHash = passwords::hash(password);
        if (u.passwordHash.isEmpty())
            throw CollectorError(CollectorError::Code::Io, QStringLiteral("cannot hash the password (out of memory?)"));
        u.mustChange = generated;
        if (verb == QLatin1String("add")) {
            u.name = name;
            u.role = role;
            caseStudies.sort();
            u.caseStudies = caseStudies;
            u.created = QDateTime::currentDateTimeUtc();
            store->addUser(u);
        } else {
            u.disabled = false;
            store->updateUser(u);
            store->deleteUserSessions(name);
        }
        if (generated) // shown this once; only its Argon2id hash is stored
            out(QStringLiteral("one-time password for %1: %2 (to be changed at the first sign-in)").arg(name, password));
        else
            out(QStringLiteral("%1 %2").arg(verb == QLatin1String("add") ? QStringLiteral("added") : QStringLiteral("new password for"), name));
        return kExitOk;
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside user: %1").arg(e.message()));
        return e.code() == CollectorError::Code::Io ? kExitDatabase : kExitRefused;
    }
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("user"), QStringLiteral("dashboard accounts (kerbside user add NAME --role coordinator|analyst)"), &run, kUsage}};

} // namespace
