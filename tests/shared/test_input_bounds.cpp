// SPDX-License-Identifier: Apache-2.0
// Hostile forms and workbooks (label "security"): a ZIP bomb of an .xlsx is refused quickly
// with bounded memory, naming the part; 20,000 chained calculations and deeply nested or very
// long expressions are checked without exhausting the stack.
#include "expr/expression.h"
#include "form/formloader.h"
#include "interview/interview.h"
#include "testpaths.h"
#include "xlsform/xlsxreader.h"
#include "zipfixture.h"

#include <catch2/catch.hpp>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <sys/resource.h>
#include <zip.h>

#include <cstring>

using namespace kerbside;
using kerbside::test::writeZip;

namespace {

// Growth allowed in the bounded-memory checks: 100 MiB, where reading the bombs unbounded
// takes 300 MiB and more; AddressSanitizer's shadow and quarantine about double any figure.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kSlackKiB = 200 * 1024;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr long kSlackKiB = 200 * 1024;
#else
constexpr long kSlackKiB = 100 * 1024;
#endif
#else
constexpr long kSlackKiB = 100 * 1024;
#endif

long peakRssKiB()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

const QList<std::pair<const char *, QByteArray>> kPackage = {
    {"xl/workbook.xml",
     "<workbook xmlns:r=\"urn:r\"><sheets><sheet name=\"survey\" r:id=\"rId1\"/></sheets></workbook>"},
    {"xl/_rels/workbook.xml.rels",
     "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
     "Target=\"worksheets/sheet3.xml\"/></Relationships>"},
};

// Rewrites every 4-byte little-endian occurrence of `from` (a declared size) into `to`.
void patchSizes(const QString &path, quint32 from, quint32 to)
{
    QFile f(path);
    REQUIRE(f.open(QIODevice::ReadWrite));
    QByteArray bytes = f.readAll();
    const QByteArray a(reinterpret_cast<const char *>(&from), 4);
    const QByteArray b(reinterpret_cast<const char *>(&to), 4);
    int replaced = 0;
    for (qsizetype i = bytes.indexOf(a); i >= 0; i = bytes.indexOf(a, i + 4)) {
        bytes.replace(i, 4, b);
        ++replaced;
    }
    REQUIRE(replaced >= 2); // the local header and the central directory
    f.seek(0);
    f.write(bytes);
}

struct NoAnswers : EvalContext
{
    Value fieldValue(const QString &) const override { return {}; }
};

} // namespace

TEST_CASE("xlsx bomb: a small workbook with a 200 MiB zero-filled sheet is refused, naming the part",
          "[xlsx][security]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bomb.xlsx"));
    writeZip(path, kPackage, "xl/worksheets/sheet3.xml", 200u * 1024 * 1024);
    CHECK(QFile(path).size() < 1024 * 1024); // a few hundred KB of deflate

    const long before = peakRssKiB();
    XlsxReader reader;
    CHECK_FALSE(reader.open(path));
    CHECK(reader.error().toStdString()
          == "bomb.xlsx: xl/worksheets/sheet3.xml: decompresses to more than 64 MiB");
    // Refused from the directory: nothing was inflated.
    CHECK(peakRssKiB() - before < 16 * 1024);
}

TEST_CASE("xlsx bomb: a directory that lies about the size is caught while inflating",
          "[xlsx][security]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("liar.xlsx"));
    const quint32 real = 300u * 1024 * 1024;
    writeZip(path, kPackage, "xl/worksheets/sheet3.xml", real);
    patchSizes(path, real, 4000); // the directory now says 4,000 bytes

    const long before = peakRssKiB();
    XlsxReader reader;
    CHECK_FALSE(reader.open(path));
    CHECK(reader.error().toStdString()
          == "liar.xlsx: xl/worksheets/sheet3.xml: compressed more than 200 to 1, which no "
             "spreadsheet part is; refusing it as a ZIP bomb");
    // Stopped at 200 times the compressed size (about 60 MB here), within the part limit,
    // long before the 300 MiB the member really inflates to.
    CHECK(peakRssKiB() - before < kSlackKiB);

    // Without the ratio limit the part size limit stops it, still while inflating.
    XlsxReader noRatio;
    XlsxReader::Limits limits;
    limits.ratio = 1'000'000;
    limits.partBytes = 8 * 1024 * 1024;
    noRatio.setLimits(limits);
    CHECK_FALSE(noRatio.open(path));
    CHECK(noRatio.error().toStdString()
          == "liar.xlsx: xl/worksheets/sheet3.xml: decompresses to more than 8 MiB");
    CHECK(peakRssKiB() - before < kSlackKiB);
}

TEST_CASE("xlsx bomb: many parts each under the limits are stopped by the total", "[xlsx][security]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("many.xlsx"));
    // Text that deflate cannot squeeze far: a counter's digits.
    QByteArray text;
    for (int i = 0; text.size() < 600 * 1024; ++i)
        text += QByteArray::number(qint64(i) * 2654435761LL % 1000003) + ' ';
    QList<std::pair<const char *, QByteArray>> members = kPackage;
    members.append({"xl/worksheets/a.xml", text});
    members.append({"xl/worksheets/b.xml", text});
    members.append({"xl/worksheets/c.xml", text});
    writeZip(path, members);

    XlsxReader reader;
    XlsxReader::Limits limits;
    limits.partBytes = 1024 * 1024;
    limits.totalBytes = 1536 * 1024;
    reader.setLimits(limits);
    CHECK_FALSE(reader.open(path));
    CHECK(reader.error().endsWith(QStringLiteral("c.xml: the workbook decompresses to more than 1.5 MiB in all")));

    XlsxReader roomy; // the defaults read it (and then miss the sheet part)
    REQUIRE(roomy.open(path));
    XlsxSheet sheet;
    CHECK_FALSE(roomy.readSheet(QStringLiteral("survey"), &sheet));
    CHECK(roomy.error().endsWith(QStringLiteral("xl/worksheets/sheet3.xml is missing")));
}

namespace {

// A form of `n` calculations, each reading the one before.
QByteArray chainedForm(int n)
{
    QByteArray out = R"({"format": "kerbside-form/1", "id": "chain", "version": "1",
"title": {"en": "T"}, "default_language": "en", "languages": ["en"], "choices": {},
"questions": [{"name": "c0", "type": "integer", "label": {"en": "Start"}})";
    for (int i = 1; i <= n; ++i)
        out += ",\n{\"name\": \"c" + QByteArray::number(i) + "\", \"type\": \"calculate\", "
               "\"calculation\": \"${c" + QByteArray::number(i - 1) + "} + 1\"}";
    out += "]}\n";
    return out;
}

} // namespace

TEST_CASE("20,000 chained calculations load, check and evaluate without recursion", "[form][security]")
{
    const FormLoadResult r = FormLoader::loadJson(chainedForm(20000));
    REQUIRE(r.problems.isEmpty());
    Interview interview(*r.form);
    interview.setAnswer(QStringLiteral("c0"), QStringLiteral("5"));
    CHECK(interview.answer(QStringLiteral("c20000")) == QStringLiteral("20005"));

    // A cycle closed at the far end of the chain is still found.
    QByteArray cyclic = chainedForm(20000);
    cyclic.replace(R"({"name": "c0", "type": "integer", "label": {"en": "Start"}})",
                   R"({"name": "c0", "type": "calculate", "calculation": "${c20000}"})");
    const FormLoadResult c = FormLoader::loadJson(cyclic);
    REQUIRE(c.problems.size() == 1);
    // Edges run from a calculation to what it reads: c0 reads c20000, which reads c19999...
    CHECK(c.problems.first().message.startsWith(QStringLiteral("calculation cycle: c0 -> c20000 -> c19999 -> ")));
    CHECK(c.problems.first().message.endsWith(QStringLiteral(" -> c2 -> c1 -> c0")));
}

TEST_CASE("kerbside form check on 20,000 chained calculations exits cleanly", "[form][cli][security]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("chain.json"));
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(chainedForm(20000));
    f.close();
    QProcess p;
    p.start(test::binaryPath(QStringLiteral("bin/kerbside")), {QStringLiteral("form"), QStringLiteral("check"), path});
    REQUIRE(p.waitForFinished(120000));
    INFO(p.readAllStandardError().toStdString());
    CHECK(p.exitStatus() == QProcess::NormalExit);
    CHECK(p.exitCode() == 0);
}

TEST_CASE("expressions: deep nesting and very long chains are syntax errors, not stack overflows",
          "[expr][security]")
{
    const QString parens = QString(100000, u'(') + QStringLiteral("1") + QString(100000, u')');
    const Expression deep = Expression::parse(parens);
    CHECK_FALSE(deep.isValid());
    CHECK(deep.errorMessage() == QStringLiteral("expression nested too deeply"));

    const QString minus = QString(100000, u'-') + QStringLiteral("1");
    CHECK(Expression::parse(minus).errorMessage() == QStringLiteral("expression nested too deeply"));

    QString calls;
    for (int i = 0; i < 50000; ++i)
        calls += QStringLiteral("abs(");
    calls += QStringLiteral("1") + QString(50000, u')');
    CHECK(Expression::parse(calls).errorMessage() == QStringLiteral("expression nested too deeply"));

    // 1+1+...+1 needs no parentheses but builds a tree as tall as it is long.
    QString sum = QStringLiteral("1");
    for (int i = 0; i < 100000; ++i)
        sum += QStringLiteral("+1");
    const Expression flat = Expression::parse(sum);
    CHECK_FALSE(flat.isValid());
    CHECK(flat.errorMessage()
          == QStringLiteral("expression nested too deeply (more than 1000 levels of operators)"));

    // Within the limits, long expressions still work.
    QString fine = QStringLiteral("1");
    for (int i = 0; i < 900; ++i)
        fine += QStringLiteral("+1");
    const Expression ok = Expression::parse(fine);
    REQUIRE(ok.isValid());
    CHECK(ok.evaluate(NoAnswers {}).toNumber() == 901);
    CHECK(Expression::parse(QString(150, u'(') + QStringLiteral("2") + QString(150, u')')).isValid());

    // A date 10^300 days away is no date (converting it to whole days overflowed: undefined
    // behaviour, caught by UBSan in the sanitizer build).
    const Expression far = Expression::parse(QStringLiteral("string(date(pow(10, 300)))"));
    REQUIRE(far.isValid());
    CHECK(far.evaluate(NoAnswers {}).toString().isEmpty());
    const Expression past = Expression::parse(QStringLiteral("string(date(-pow(10, 300)))"));
    CHECK(past.evaluate(NoAnswers {}).toString().isEmpty());
}
