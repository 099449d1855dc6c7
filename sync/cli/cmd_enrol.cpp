// SPDX-License-Identifier: Apache-2.0
// `kerbside enrol`: makes a single-use enrolment code for one tablet and one case study.
#include "collectorcli.h"

#include "credentials.h"

#include <QRegularExpression>

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral(
    "usage: kerbside enrol --case-study ID [--expires DURATION] --db PATH\n"
    "  --expires  how long the code stays valid: 7d (default), 12h, 30m, 45s");

// "7d" -> seconds; -1 when unreadable.
qint64 parseDuration(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{1,6})([dhms])$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return -1;
    const qint64 n = m.captured(1).toLongLong();
    switch (m.captured(2).at(0).toLatin1()) {
    case 'd': return n * 86400;
    case 'h': return n * 3600;
    case 'm': return n * 60;
    default: return n;
    }
}

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv, {QStringLiteral("db"), QStringLiteral("case-study"), QStringLiteral("expires")}, {},
                            kUsage, &args))
        return kExitUsage;
    const QString caseStudy = args.value(QStringLiteral("case-study"));
    const qint64 seconds = parseDuration(args.value(QStringLiteral("expires"), QStringLiteral("7d")));
    if (!args.positional.isEmpty() || caseStudy.isEmpty() || seconds < 0) {
        err(kUsage);
        return kExitUsage;
    }
    std::unique_ptr<CollectorStore> store = openCollectorDb(args, kUsage);
    if (!store)
        return kExitDatabase;
    const QString code = Credentials::newEnrolmentCode();
    EnrolmentCodeRecord record;
    record.codeHash = Credentials::hash(code);
    record.caseStudy = caseStudy;
    record.created = QDateTime::currentDateTimeUtc();
    record.expires = record.created.addSecs(seconds);
    try {
        store->addEnrolmentCode(record);
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside enrol: %1").arg(e.message()));
        return e.code() == CollectorError::Code::Io ? kExitDatabase : kExitRefused;
    }
    // The code is shown this once; only its hash is stored.
    out(QStringLiteral("code: %1").arg(Credentials::formatCode(code)));
    out(QStringLiteral("case study: %1").arg(caseStudy));
    out(QStringLiteral("expires: %1 (single use)").arg(timeText(record.expires)));
    return kExitOk;
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("enrol"), QStringLiteral("make a single-use enrolment code for a tablet"), &run, kUsage}};

} // namespace
