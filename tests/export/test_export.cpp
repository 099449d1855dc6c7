// SPDX-License-Identifier: Apache-2.0
// `kerbside export` end to end: a simulated collector database exported by the real command,
// read back by real readers (Python's csv module, PSPP, ReadStat's CLI) and checked value by value.
#include "exportfixture.h"

#include "answerpack.h"
#include "batchcodec.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QRegularExpression>
#include <QSet>

#include <sqlite3.h>

#include <cmath>

using namespace kerbside;
using namespace kerbside::test;

namespace {

const QString kForm = QStringLiteral("community-contracts-voxpop");

struct Expected
{
    ResponseMeta meta;
    QMap<QString, QString> answers;
};

/** One simulated database shared by the tests (simulating is the slow part). */
struct Shared
{
    SimulatedDb db{600, 2, 5};
    QMap<QString, Expected> responses; // by uuid
    QList<ContactEntry> contacts;
    Form form = voxpopForm();

    Shared()
    {
        db.store->forEachResponse({}, [&](const StoredResponse &r) {
            Expected e{r.meta, {}};
            for (const TypedAnswer &a : r.answers)
                e.answers.insert(a.question, a.value);
            responses.insert(r.meta.uuid, e);
            return true;
        });
        db.store->forEachContact({}, [&](const ContactEntry &c) {
            contacts.append(c);
            return true;
        });
    }
    // A choice declared missing in the form ("dk", "refused"): empty in the CSV, .d in Stata.
    bool missingChoice(const QString &question, const QString &value) const
    {
        const Question *q = form.question(question);
        const ChoiceList *list = q ? form.choicesFor(*q) : nullptr;
        const int i = list ? list->indexOf(value) : -1;
        return i >= 0 && list->choices[i].missing;
    }
    int code(const QString &question, const QString &value) const
    {
        const Question *q = form.question(question);
        if (q->type == QuestionType::Consent)
            return value == QStringLiteral("yes") ? 1 : 2;
        return form.choicesFor(*q)->indexOf(value) + 1;
    }
};

Shared &shared()
{
    static Shared s;
    return s;
}

ProcessResult exportTo(const QString &out, const QStringList &extra, const QString &db = {})
{
    QStringList args{QStringLiteral("export"), QStringLiteral("--db"), db.isEmpty() ? shared().db.path : db,
                     QStringLiteral("--out"), out};
    args += extra;
    return runProcess(kerbsideBinary(), args);
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

// Wide CSV columns of the vox pop form (sensitive `comment` left out).
QStringList expectedHeader(bool withComment)
{
    QStringList h = QStringLiteral("uuid case_study form_id form_version enumerator device start start_local "
                                   "start_utc_offset_min end duration_s "
                                   "latitude longitude accuracy status language language_switched received quota_cell inside_area "
                                   "distance_to_area_m weight consent age_band gender aware heard_how")
                        .split(QLatin1Char(' '));
    for (const char *c : {"leaflet", "meeting", "council", "housing", "poster", "local_media", "word", "other"})
        h << QStringLiteral("heard_how_") + QLatin1String(c);
    h << QStringLiteral("involved");
    for (const char *c : {"meeting", "priorities", "consultation", "monitoring", "volunteer", "none"})
        h << QStringLiteral("involved_") + QLatin1String(c);
    h << QStringLiteral("rate_drugs change_drugs rate_bins change_bins rate_graffiti change_graffiti rate_streets "
                        "change_streets influence trust_council tenure years_in_area")
             .split(QLatin1Char(' '));
    if (withComment)
        h << QStringLiteral("comment");
    h << QStringLiteral("involved_any") << QStringLiteral("unmatched_answers");
    return h;
}

const QStringList kSelectOne = QStringLiteral("consent aware rate_drugs change_drugs rate_bins change_bins rate_graffiti "
                                              "change_graffiti rate_streets change_streets influence trust_council "
                                              "age_band gender tenure").split(QLatin1Char(' '));

} // namespace

TEST_CASE("CSV export: Python's csv module reads every response with the stored values", "[export]")
{
    Shared &s = shared();
    QTemporaryDir out;
    const ProcessResult r = exportTo(out.path(), {QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("csv")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.contains("exported 600 responses"));
    const QString path = out.filePath(kForm + QStringLiteral(".csv"));
    const QByteArray bytes = readAll(path);
    CHECK_FALSE(bytes.startsWith("\xEF\xBB\xBF"));
    CHECK(bytes.count("\r\n") == 601); // CRLF after the header and each row
    const QList<QStringList> rows = pythonCsv(path);
    REQUIRE(rows.size() == 601);
    CHECK(rows[0] == expectedHeader(false));
    for (const QStringList &row : rows)
        REQUIRE(row.size() == rows[0].size());

    QStringList uuids;
    int checkedBins = 0, notRelevant = 0, missingChoices = 0;
    for (const QHash<QString, QString> &rec : csvRecords(rows)) {
        uuids.append(rec.value(QStringLiteral("uuid")));
        REQUIRE(s.responses.contains(rec.value(QStringLiteral("uuid"))));
        const Expected &e = s.responses[rec.value(QStringLiteral("uuid"))];
        CHECK(rec.value(QStringLiteral("case_study")) == e.meta.caseStudy);
        CHECK(rec.value(QStringLiteral("device")) == e.meta.deviceId);
        CHECK(rec.value(QStringLiteral("status")) == responseStatusName(e.meta.status));
        CHECK(rec.value(QStringLiteral("start")) == e.meta.started.toUTC().toString(Qt::ISODate));
        // The simulated tablets are in London: GMT (+00:00) or BST (+01:00).
        REQUIRE(e.meta.startedUtcOffset);
        const int offset = *e.meta.startedUtcOffset;
        CHECK((offset == 0 || offset == 3600));
        CHECK(rec.value(QStringLiteral("start_local"))
              == e.meta.started.toUTC().addSecs(offset).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
                     + (offset ? QStringLiteral("+01:00") : QStringLiteral("+00:00")));
        CHECK(rec.value(QStringLiteral("start_utc_offset_min")) == QString::number(offset / 60));
        CHECK(rec.value(QStringLiteral("duration_s")).toLongLong() == e.meta.started.secsTo(e.meta.ended));
        CHECK(std::abs(rec.value(QStringLiteral("latitude")).toDouble() - e.meta.location.latitude) < 1e-6);
        CHECK(rec.value(QStringLiteral("language")) == e.meta.language);
        CHECK(rec.value(QStringLiteral("language_switched")) == QStringLiteral("0")); // the simulator never switches
        for (const QString &q : expectedHeader(false).mid(22)) { // the answers, after metadata and the fieldwork variables
            if (q.startsWith(QStringLiteral("heard_how_")) || q.startsWith(QStringLiteral("involved_"))
                || q == QStringLiteral("unmatched_answers"))
                continue;
            if (s.missingChoice(q, e.answers.value(q))) {
                CHECK(rec.value(q).isEmpty()); // listed in the .missing.csv companion
                ++missingChoices;
                continue;
            }
            CHECK(rec.value(q) == e.answers.value(q));
        }
        const QStringList heard = e.answers.value(QStringLiteral("heard_how")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (const char *c : {"leaflet", "council", "word"}) {
            const QString bin = rec.value(QStringLiteral("heard_how_") + QLatin1String(c));
            if (!e.answers.contains(QStringLiteral("heard_how"))) {
                CHECK(bin.isEmpty());
                ++notRelevant;
            } else {
                CHECK(bin == (heard.contains(QLatin1String(c)) ? QStringLiteral("1") : QStringLiteral("0")));
                ++checkedBins;
            }
        }
        CHECK(rec.value(QStringLiteral("unmatched_answers")).isEmpty());
    }
    CHECK(checkedBins > 30);
    CHECK(notRelevant > 30);
    CHECK(missingChoices > 30);
    CHECK(pythonCsv(out.filePath(kForm + QStringLiteral(".missing.csv"))).size() == missingChoices + 1);
    QStringList sorted = uuids;
    sorted.sort();
    CHECK(uuids == sorted); // store order: UUID

    SECTION("--bom puts a UTF-8 byte-order mark first, for Excel")
    {
        QTemporaryDir bom;
        REQUIRE(exportTo(bom.path(), {QStringLiteral("--all"), QStringLiteral("--bom")}).exitCode == 0);
        CHECK(readAll(bom.filePath(kForm + QStringLiteral(".csv"))).startsWith("\xEF\xBB\xBFuuid,"));
        CHECK(pythonCsv(bom.filePath(kForm + QStringLiteral(".csv"))).size() == 601);
    }
}

TEST_CASE("SPSS export: PSPP shows variable labels, value labels, missing codes and the values", "[export]")
{
    Shared &s = shared();
    QTemporaryDir out;
    const ProcessResult r = exportTo(out.path(), {QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("sav")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    QFile syntax(out.filePath(QStringLiteral("read.sps")));
    REQUIRE(syntax.open(QIODevice::WriteOnly));
    syntax.write("GET FILE='" + QFile::encodeName(out.filePath(kForm + QStringLiteral(".sav"))) + "'.\n"
                 "DISPLAY DICTIONARY /VARIABLES=uuid start aware heard_how_council years_in_area involved.\n"
                 "SAVE TRANSLATE /OUTFILE='" + QFile::encodeName(out.filePath(QStringLiteral("values.csv")))
                 + "' /TYPE=CSV /FIELDNAMES /REPLACE.\n");
    syntax.close();
    const ProcessResult p = runProcess(QStringLiteral("pspp"), {QStringLiteral("-O"), QStringLiteral("format=csv"),
                                                                QStringLiteral("-o"), out.filePath(QStringLiteral("dict.csv")),
                                                                syntax.fileName()});
    INFO(p.err.toStdString());
    REQUIRE(p.exitCode == 0);
    const QString dict = QString::fromUtf8(readAll(out.filePath(QStringLiteral("dict.csv"))));
    // Its position moves with the metadata columns and the form's page order; the label and level do not.
    CHECK(dict.contains(QRegularExpression(QStringLiteral("aware,[0-9]+,Have you heard of the Community Contract for this neighbourhood\\?,Nominal"))));
    CHECK(dict.contains(QStringLiteral("F8.0,F8.0,-99 THRU -97; 3"))); // aware's "Not sure" is declared missing
    CHECK(dict.contains(QStringLiteral("F8.0,F8.0,-97; -98; -99")));
    CHECK(dict.contains(QStringLiteral("DATETIME20.0")));
    CHECK(dict.contains(QStringLiteral("uuid,1,Response UUID,Nominal,Input,8,Left,A36")));
    CHECK(dict.contains(QStringLiteral(",3[a],Not sure"))); // declared missing
    CHECK(dict.contains(QStringLiteral("-97[a],Not relevant")));
    CHECK(dict.contains(QStringLiteral("-99[a],Refused interview")));
    CHECK(dict.contains(QStringLiteral("Council website, email or social media: How did you hear about it?")));

    const QList<QStringList> rows = pythonCsv(out.filePath(QStringLiteral("values.csv")));
    REQUIRE(rows.size() == 601);
    CHECK(rows[0] == expectedHeader(false));
    int refused = 0, skipped = 0, notRelevant = 0;
    for (const QHash<QString, QString> &rec : csvRecords(rows)) {
        const Expected &e = s.responses[rec.value(QStringLiteral("uuid"))];
        CHECK(rec.value(QStringLiteral("start")) == e.meta.started.toUTC().toString(QStringLiteral("MM/dd/yyyy HH:mm:ss")));
        if (e.meta.status == ResponseStatus::Refused) {
            ++refused;
            CHECK(rec.value(QStringLiteral("consent")) == QStringLiteral("2"));
            CHECK(rec.value(QStringLiteral("aware")) == QStringLiteral("-99"));
            CHECK(rec.value(QStringLiteral("years_in_area")) == QStringLiteral("-99"));
            continue;
        }
        for (const QString &q : kSelectOne) {
            if (e.answers.contains(q)) // a partial interview lacks the later ones (-98)
                CHECK(rec.value(q).toInt() == s.code(q, e.answers.value(q)));
        }
        if (e.answers.contains(QStringLiteral("years_in_area"))) {
            CHECK(rec.value(QStringLiteral("years_in_area")) == e.answers.value(QStringLiteral("years_in_area")));
        } else {
            ++skipped;
            CHECK(rec.value(QStringLiteral("years_in_area")) == QStringLiteral("-98")); // relevant, not answered
        }
        if (e.answers.value(QStringLiteral("aware")) != QStringLiteral("yes")) {
            ++notRelevant;
            CHECK(rec.value(QStringLiteral("heard_how_council")) == QStringLiteral("-97"));
            CHECK(rec.value(QStringLiteral("involved")).trimmed().isEmpty());
        } else {
            CHECK(rec.value(QStringLiteral("involved")).trimmed() == e.answers.value(QStringLiteral("involved")));
        }
    }
    CHECK(refused > 20);
    CHECK(skipped > 20);
    CHECK(notRelevant > 100);
}

TEST_CASE("Stata export: ReadStat's CLI reads the .dta with the right values", "[export]")
{
    Shared &s = shared();
    QTemporaryDir out;
    const ProcessResult r = exportTo(out.path(), {QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("dta,csv")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QString dta = out.filePath(kForm + QStringLiteral(".dta"));
    const ProcessResult meta = runProcess(QStringLiteral("readstat"), {dta});
    CHECK(meta.out.contains("Rows: 600"));
    CHECK(meta.out.contains("Format version: 118"));
    CHECK(meta.out.contains("Table label: Community Contracts: residents' vox pop"));
    const ProcessResult conv = runProcess(QStringLiteral("readstat"), {dta, out.filePath(QStringLiteral("dta.csv"))});
    INFO(conv.err.toStdString());
    REQUIRE(conv.exitCode == 0);
    const QList<QStringList> rows = pythonCsv(out.filePath(QStringLiteral("dta.csv")));
    REQUIRE(rows.size() == 601);
    CHECK(rows[0] == expectedHeader(false));
    for (const QHash<QString, QString> &rec : csvRecords(rows)) {
        const Expected &e = s.responses[rec.value(QStringLiteral("uuid"))];
        // %tc: milliseconds since 1960-01-01.
        const qint64 tc = qint64(rec.value(QStringLiteral("start")).toDouble());
        CHECK(tc == e.meta.started.toMSecsSinceEpoch() + 315619200000LL);
        CHECK(rec.value(QStringLiteral("duration_s")).toDouble() == double(e.meta.started.secsTo(e.meta.ended)));
        const int status = e.meta.status == ResponseStatus::Complete ? 1 : e.meta.status == ResponseStatus::Refused ? 2 : 5;
        CHECK(rec.value(QStringLiteral("status")).toInt() == status);
        for (const QString &q : kSelectOne) {
            if (e.answers.contains(q) && s.missingChoice(q, e.answers.value(q)))
                CHECK(rec.value(q).isEmpty()); // .d
            else if (e.answers.contains(q))
                CHECK(rec.value(q).toInt() == s.code(q, e.answers.value(q)));
            else
                CHECK(rec.value(q).isEmpty()); // extended missing (.a/.b/.c)
        }
        CHECK(rec.value(QStringLiteral("involved_any")) == e.answers.value(QStringLiteral("involved_any")));
    }
}

TEST_CASE("Exports are deterministic: the same data gives the same bytes", "[export]")
{
    QTemporaryDir a, b;
    const QStringList args{QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("csv,sav,dta,jsonl")};
    REQUIRE(exportTo(a.path(), args).exitCode == 0);
    REQUIRE(exportTo(b.path(), args).exitCode == 0);
    const QStringList files = entries(a.path());
    CHECK(files == entries(b.path()));
    // 4 formats x (form + contacts), the CSV's .missing.csv, .pl.sps and .pl.do, summary, weights, codebook x2, manifest
    CHECK(files.size() == 16);
    for (const QString &f : files) {
        INFO(f.toStdString());
        if (f == QStringLiteral("manifest.json"))
            continue; // the only file with the export time
        CHECK(readAll(a.filePath(f)) == readAll(b.filePath(f)));
    }
    // The manifest's checksums are those of the files beside it.
    const QJsonObject manifest = QJsonDocument::fromJson(readAll(a.filePath(QStringLiteral("manifest.json")))).object();
    const QJsonArray listed = manifest.value(QStringLiteral("files")).toArray();
    CHECK(listed.size() == 15);
    for (const QJsonValue &v : listed) {
        const QJsonObject o = v.toObject();
        const QByteArray sha = QCryptographicHash::hash(readAll(a.filePath(o.value(QStringLiteral("name")).toString())),
                                                        QCryptographicHash::Sha256).toHex();
        CHECK(o.value(QStringLiteral("sha256")).toString().toLatin1() == sha);
    }
}

TEST_CASE("A failed export leaves the target folder as it was", "[export]")
{
    QTemporaryDir out;
    SECTION("a file that cannot be replaced: nothing is moved in, nothing is left behind")
    {
        REQUIRE(QDir(out.path()).mkpath(QStringLiteral("summary.csv/keep")));
        const ProcessResult r = exportTo(out.path(), {QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("csv,sav")});
        CHECK(r.exitCode == 1);
        CHECK(r.err.contains("summary.csv"));
        CHECK(entries(out.path()) == QStringList{QStringLiteral("summary.csv")});
    }
    SECTION("the disk refuses writes midway: an earlier export stays intact and no partial file appears")
    {
        REQUIRE(exportTo(out.path(), {QStringLiteral("--all")}).exitCode == 0);
        const QStringList before = entries(out.path());
        const QByteArray csv = readAll(out.filePath(kForm + QStringLiteral(".csv")));
        // A 64 KiB file size limit: the .sav/.jsonl files fail partway through being written.
        const QString cmd = QStringLiteral("trap '' XFSZ; ulimit -f 64; exec \"$0\" export --db \"$1\" --out \"$2\" --all "
                                           "--format csv,sav,jsonl");
        const ProcessResult r = runProcess(QStringLiteral("bash"), {QStringLiteral("-c"), cmd, kerbsideBinary(),
                                                                    shared().db.path, out.path()});
        CHECK(r.exitCode == 1);
        CHECK(r.err.contains("cannot write"));
        CHECK(entries(out.path()) == before); // no staging folder, no .sav, no .jsonl
        CHECK(readAll(out.filePath(kForm + QStringLiteral(".csv"))) == csv);
    }
    SECTION("a damaged row in the collector's database: the export stops, names it, and writes nothing")
    {
        SimulatedDb db(1200, 1, 11); // more rows than the reader thread hands over at once
        QString uuid;
        {
            // The 1,000th response's answers become garbage (as a bad disk sector might leave them).
            sqlite3 *raw = nullptr;
            REQUIRE(sqlite3_open(db.path.toUtf8().constData(), &raw) == SQLITE_OK);
            sqlite3_stmt *s = nullptr;
            sqlite3_prepare_v2(raw, "SELECT uuid, current_version FROM responses ORDER BY uuid LIMIT 1 OFFSET 999", -1, &s, nullptr);
            REQUIRE(sqlite3_step(s) == SQLITE_ROW);
            uuid = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 0)));
            const QByteArray update = "UPDATE response_versions SET answers = x'02ff' WHERE id = "
                + QByteArray::number(sqlite3_column_int64(s, 1));
            sqlite3_finalize(s);
            REQUIRE(sqlite3_exec(raw, update.constData(), nullptr, nullptr, nullptr) == SQLITE_OK);
            sqlite3_close(raw);
        }
        const ProcessResult r = exportTo(out.path(), {QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("csv")},
                                         db.path);
        CHECK(r.exitCode == 3); // a database problem, not a refused request
        CHECK(r.err.contains(QStringLiteral("the answers of response %1").arg(uuid).toUtf8()));
        CHECK(r.err.contains("damaged"));
        CHECK(entries(out.path()).isEmpty());
    }
    SECTION("an output path that cannot be a folder")
    {
        QFile f(out.filePath(QStringLiteral("file")));
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.close();
        const ProcessResult r = exportTo(out.filePath(QStringLiteral("file/sub")), {QStringLiteral("--all")});
        CHECK(r.exitCode == 1);
        CHECK(r.err.contains("cannot create the output folder"));
        CHECK(entries(out.path()) == QStringList{QStringLiteral("file")});
    }
}

TEST_CASE("Codebook, sensitive questions, contacts and the response-rate summary", "[export]")
{
    Shared &s = shared();
    QTemporaryDir out;
    REQUIRE(exportTo(out.path(), {QStringLiteral("--case-study"), QStringLiteral("moss-side"), QStringLiteral("--format"),
                                  QStringLiteral("csv")}).exitCode == 0);
    const QString md = QString::fromUtf8(readAll(out.filePath(QStringLiteral("codebook.md"))));
    CHECK(md.contains(QStringLiteral("| `heard_how` |  |  | How did you hear about it? | select_multiple |")));
    CHECK(md.contains(QStringLiteral("`${aware} = 'yes'`")));
    CHECK(md.contains(QStringLiteral("Left out as sensitive: comment.")));
    CHECK(md.contains(QStringLiteral("RR6 = (I+P)/((I+P)+(R+NC+O))")));
    CHECK(md.contains(QStringLiteral("Coordinates are precise")));
    const QList<QHash<QString, QString>> book = csvRecords(pythonCsv(out.filePath(QStringLiteral("codebook.csv"))));
    bool sawAware = false, sawComment = false;
    for (const auto &rec : book) {
        if (rec.value(QStringLiteral("file")) == kForm && rec.value(QStringLiteral("variable")) == QStringLiteral("aware")) {
            sawAware = true;
            CHECK(rec.value(QStringLiteral("choices"))
                  == QStringLiteral("[codes 1..n in list order (not every choice name is an integer)] 1 = yes: Yes; 2 = no: No; "
                                    "3 = dk: Not sure (declared missing; Stata .d)"));
            CHECK(rec.value(QStringLiteral("label")) == QStringLiteral("Have you heard of the Community Contract for this neighbourhood?"));
            CHECK(rec.value(QStringLiteral("sensitive")) == QStringLiteral("no"));
        }
        if (rec.value(QStringLiteral("variable")) == QStringLiteral("comment")) {
            sawComment = true;
            CHECK(rec.value(QStringLiteral("sensitive")) == QStringLiteral("yes"));
            CHECK(rec.value(QStringLiteral("note")).contains(QStringLiteral("left out")));
        }
    }
    CHECK(sawAware);
    CHECK(sawComment);

    // Only moss-side, and the AAPOR counts agree with the store's own data.
    qint64 complete = 0, partial = 0, refused = 0, contacts = 0, other = 0, notEligible = 0, responses = 0;
    for (const Expected &e : s.responses) {
        if (e.meta.caseStudy == QStringLiteral("moss-side")) {
            ++responses;
            complete += e.meta.status == ResponseStatus::Complete;
            partial += e.meta.status == ResponseStatus::Partial;
            refused += e.meta.status == ResponseStatus::Refused;
        }
    }
    for (const ContactEntry &c : s.contacts) {
        if (c.caseStudy == QStringLiteral("moss-side")) {
            ++contacts;
            refused += c.disposition == Disposition::Refused;
            notEligible += c.disposition == Disposition::NotResident || c.disposition == Disposition::Ineligible;
            other += c.disposition == Disposition::LanguageBarrier || c.disposition == Disposition::ComeBackLater
                     || c.disposition == Disposition::Other;
        }
    }
    CHECK(partial > 0);
    const QList<QHash<QString, QString>> summary = csvRecords(pythonCsv(out.filePath(QStringLiteral("summary.csv"))));
    REQUIRE(summary.size() > 1);
    const QHash<QString, QString> cs = summary.first();
    CHECK(cs.value(QStringLiteral("level")) == QStringLiteral("case_study"));
    CHECK(cs.value(QStringLiteral("case_study")) == QStringLiteral("moss-side"));
    CHECK(cs.value(QStringLiteral("I")).toLongLong() == complete);
    CHECK(cs.value(QStringLiteral("P")).toLongLong() == partial);
    CHECK(cs.value(QStringLiteral("R")).toLongLong() == refused);
    CHECK(cs.value(QStringLiteral("O")).toLongLong() == other);
    CHECK(cs.value(QStringLiteral("NE")).toLongLong() == notEligible);
    const qint64 eligible = complete + partial + refused + other;
    CHECK(cs.value(QStringLiteral("RR5")) == QString::number(double(complete) / double(eligible), 'f', 4));
    CHECK(cs.value(QStringLiteral("RR6")) == QString::number(double(complete + partial) / double(eligible), 'f', 4));
    CHECK(cs.value(QStringLiteral("COOP3")) == QString::number(double(complete) / double(complete + partial + refused), 'f', 4));
    const QList<QStringList> contactRows = pythonCsv(out.filePath(QStringLiteral("contacts.csv")));
    CHECK(contactRows.size() == contacts + 1);
    CHECK_FALSE(contactRows[0].contains(QStringLiteral("note")));
    CHECK(pythonCsv(out.filePath(kForm + QStringLiteral(".csv"))).size() == responses + 1);

    SECTION("--include-sensitive keeps the comment")
    {
        QTemporaryDir all;
        REQUIRE(exportTo(all.path(), {QStringLiteral("--all"), QStringLiteral("--include-sensitive")}).exitCode == 0);
        const QList<QStringList> rows = pythonCsv(all.filePath(kForm + QStringLiteral(".csv")));
        CHECK(rows[0] == expectedHeader(true));
        int comments = 0;
        for (const auto &rec : csvRecords(rows)) {
            const Expected &e = s.responses[rec.value(QStringLiteral("uuid"))];
            CHECK(rec.value(QStringLiteral("comment")) == e.answers.value(QStringLiteral("comment")));
            comments += !rec.value(QStringLiteral("comment")).isEmpty();
        }
        CHECK(comments > 10);
        CHECK_FALSE(pythonCsv(all.filePath(QStringLiteral("contacts.csv")))[0].contains(QStringLiteral("note"))); // no such field on the tablet
        CHECK_FALSE(QString::fromUtf8(readAll(all.filePath(QStringLiteral("codebook.md")))).contains(QStringLiteral("Left out as sensitive")));
    }
}

TEST_CASE("Coarsening the location rounds every coordinate to the grid and says so", "[export]")
{
    QTemporaryDir out;
    REQUIRE(exportTo(out.path(), {QStringLiteral("--all"), QStringLiteral("--coarsen-location"), QStringLiteral("250")}).exitCode == 0);
    const double step = 250 / 111320.0;
    QSet<QString> cells;
    for (const QString &file : {kForm + QStringLiteral(".csv"), QStringLiteral("contacts.csv")}) {
        for (const auto &rec : csvRecords(pythonCsv(out.filePath(file)))) {
            const double lat = rec.value(QStringLiteral("latitude")).toDouble();
            CHECK(std::abs(lat / step - std::round(lat / step)) < 1e-3);
            CHECK(rec.value(QStringLiteral("accuracy")).toDouble() >= 250);
            cells.insert(rec.value(QStringLiteral("latitude")) + QLatin1Char(',') + rec.value(QStringLiteral("longitude")));
        }
    }
    CHECK(cells.size() < 60); // ~900 positions collapse into a few dozen cells
    CHECK(QString::fromUtf8(readAll(out.filePath(QStringLiteral("codebook.md")))).contains(QStringLiteral("grid cell 250 m wide")));
}

TEST_CASE("Several form versions merge into the union of their columns", "[export]")
{
    // A copy of the database with a second form version: a new question, one dropped.
    Shared &s = shared();
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("two-versions.sqlite"));
    {
        auto store = openCollectorStore(db);
        SimulateOptions o;
        o.responses = 40;
        o.caseStudies = 1;
        o.seed = 3;
        o.poolSize = 40;
        Simulator(*store, s.form, readAll(voxpopPath()), o).run();
        QJsonObject root = QJsonDocument::fromJson(readAll(voxpopPath())).object();
        root.insert(QStringLiteral("version"), QStringLiteral("2026120301"));
        QJsonArray questions = root.value(QStringLiteral("questions")).toArray();
        for (int i = 0; i < questions.size(); ++i) {
            QJsonObject g = questions[i].toObject();
            if (g.value(QStringLiteral("name")) != QStringLiteral("about_you"))
                continue;
            QJsonArray inner = g.value(QStringLiteral("questions")).toArray();
            inner.removeLast(); // years_in_area
            g.insert(QStringLiteral("questions"), inner);
            questions[i] = g;
            QJsonObject safety{{QStringLiteral("name"), QStringLiteral("feel_safe")},
                               {QStringLiteral("type"), QStringLiteral("select_one")},
                               {QStringLiteral("choices"), QStringLiteral("agree5")},
                               {QStringLiteral("label"), QJsonObject{{QStringLiteral("en"), QStringLiteral("I feel safe here.")},
                                                                     {QStringLiteral("pl"), QStringLiteral("Czuję się tu bezpiecznie.")}}}};
            questions.insert(i, safety);
            break;
        }
        root.insert(QStringLiteral("questions"), questions);
        const QByteArray json = QJsonDocument(root).toJson();
        const FormLoadResult v2 = FormLoader::loadJson(json);
        REQUIRE(v2.ok());
        PublishedFormRecord p{kForm, QStringLiteral("2026120301"), QStringLiteral("v2"), json, {}, QDateTime::currentDateTimeUtc(), {}};
        const QString cs = store->caseStudies().first().id;
        store->publishForm(p, {cs});
        // One v2 interview, uploaded like any other batch; then an answer no version knows is
        // added to it as an older collector (which did not check answers) would have kept it.
        OutboxBatch batch;
        Response r;
        r.meta.uuid = QStringLiteral("ffffffff-0000-4000-8000-000000000001");
        r.meta.formId = kForm;
        r.meta.formVersion = QStringLiteral("2026120301");
        r.meta.caseStudy = cs;
        r.meta.enumerator = QStringLiteral("fw-x");
        r.meta.deviceId = QStringLiteral("dev-x");
        r.meta.status = ResponseStatus::Complete;
        r.meta.started = QDateTime(QDate(2026, 12, 2), QTime(10, 0), Qt::UTC);
        r.meta.ended = r.meta.started.addSecs(200);
        r.meta.updated = r.meta.ended;
        r.answers = {{QStringLiteral("consent"), QStringLiteral("yes")}, {QStringLiteral("aware"), QStringLiteral("no")},
                     {QStringLiteral("feel_safe"), QStringLiteral("4")}};
        batch.responses.append(r);
        batch.paradata.append(QList<ParadataEvent>{});
        BatchHeader h;
        h.deviceId = r.meta.deviceId;
        h.sequence = 1;
        h.created = r.meta.ended;
        const QByteArray raw = BatchCodec::encode(h, batch);
        REQUIRE(store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("usb"), r.meta.ended).count(MergeOutcome::Accepted) == 1);
        QList<TypedAnswer> held{{QStringLiteral("aware"), AnswerType::Choice, QStringLiteral("no")},
                                {QStringLiteral("consent"), AnswerType::Choice, QStringLiteral("yes")},
                                {QStringLiteral("feel_safe"), AnswerType::Choice, QStringLiteral("4")},
                                {QStringLiteral("mystery"), AnswerType::Text, QStringLiteral("x, y")}};
        sqlite3 *conn = nullptr;
        REQUIRE(sqlite3_open(db.toUtf8().constData(), &conn) == SQLITE_OK);
        sqlite3_stmt *st = nullptr;
        REQUIRE(sqlite3_prepare_v2(conn, "UPDATE response_versions SET answers = ?1 WHERE uuid = ?2", -1, &st, nullptr) == SQLITE_OK);
        const QByteArray pack = answerpack::pack(held);
        sqlite3_bind_blob(st, 1, pack.constData(), int(pack.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, "ffffffff-0000-4000-8000-000000000001", -1, SQLITE_STATIC);
        CHECK(sqlite3_step(st) == SQLITE_DONE);
        sqlite3_finalize(st);
        sqlite3_close(conn);
    }
    QTemporaryDir out;
    REQUIRE(exportTo(out.path(), {QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("csv,jsonl,sav")}, db).exitCode == 0);
    const QList<QStringList> rows = pythonCsv(out.filePath(kForm + QStringLiteral(".csv")));
    REQUIRE(rows.size() == 42);
    const QStringList header = rows[0];
    // Newest version's order (feel_safe before tenure's group ends... after tenure), then years_in_area.
    CHECK(header.indexOf(QStringLiteral("feel_safe")) < header.indexOf(QStringLiteral("tenure")));
    CHECK(header.indexOf(QStringLiteral("years_in_area")) == header.size() - 2);
    CHECK(header.last() == QStringLiteral("unmatched_answers"));
    for (const auto &rec : csvRecords(rows)) {
        if (rec.value(QStringLiteral("uuid")) == QStringLiteral("ffffffff-0000-4000-8000-000000000001")) {
            CHECK(rec.value(QStringLiteral("feel_safe")) == QStringLiteral("4"));
            CHECK(rec.value(QStringLiteral("unmatched_answers")) == QStringLiteral("mystery=x, y"));
        } else {
            CHECK(rec.value(QStringLiteral("feel_safe")).isEmpty());
        }
    }
    // Why a value is missing survives: not in the respondent's version = not relevant.
    for (const QByteArray &line : readAll(out.filePath(kForm + QStringLiteral(".jsonl"))).split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const QJsonObject missing = o.value(QStringLiteral("_missing")).toObject();
        if (o.value(QStringLiteral("form_version")) == QStringLiteral("2026120301"))
            CHECK(missing.value(QStringLiteral("years_in_area")).toString() == QStringLiteral("not_relevant"));
        else if (o.value(QStringLiteral("status")) == QStringLiteral("complete"))
            CHECK(missing.value(QStringLiteral("feel_safe")).toString() == QStringLiteral("not_relevant"));
    }
    SECTION("--form-version keeps only that version's responses")
    {
        QTemporaryDir only;
        REQUIRE(exportTo(only.path(), {QStringLiteral("--all"), QStringLiteral("--form-version"), QStringLiteral("2026120301")}, db).exitCode == 0);
        const QList<QStringList> v2rows = pythonCsv(only.filePath(kForm + QStringLiteral(".csv")));
        CHECK(v2rows.size() == 2);
        CHECK_FALSE(v2rows[0].contains(QStringLiteral("years_in_area")));
    }
}

TEST_CASE("Long layout and date filters", "[export]")
{
    Shared &s = shared();
    QTemporaryDir out;
    REQUIRE(exportTo(out.path(), {QStringLiteral("--all"), QStringLiteral("--long"), QStringLiteral("--format"),
                                  QStringLiteral("csv,dta")}).exitCode == 0);
    qint64 answers = 0;
    for (const Expected &e : s.responses)
        answers += e.answers.size() - e.answers.contains(QStringLiteral("comment"));
    const QList<QStringList> rows = pythonCsv(out.filePath(kForm + QStringLiteral(".long.csv")));
    CHECK(rows.size() == answers + 1);
    CHECK(rows[0] == QStringLiteral("uuid case_study form_id form_version enumerator device start start_local start_utc_offset_min status question type value value_label")
                         .split(QLatin1Char(' ')));
    for (const auto &rec : csvRecords(rows)) {
        const Expected &e = s.responses[rec.value(QStringLiteral("uuid"))];
        CHECK(rec.value(QStringLiteral("value")) == e.answers.value(rec.value(QStringLiteral("question"))));
        if (rec.value(QStringLiteral("question")) == QStringLiteral("aware") && rec.value(QStringLiteral("value")) == QStringLiteral("dk"))
            CHECK(rec.value(QStringLiteral("value_label")) == QStringLiteral("Not sure"));
    }
    CHECK(runProcess(QStringLiteral("readstat"), {out.filePath(kForm + QStringLiteral(".long.dta"))}).out.contains(
        QByteArray("Rows: ") + QByteArray::number(answers)));

    QTemporaryDir range;
    REQUIRE(exportTo(range.path(), {QStringLiteral("--all"), QStringLiteral("--from"), QStringLiteral("2026-10-01"),
                                    QStringLiteral("--to"), QStringLiteral("2026-10-31")}).exitCode == 0);
    qint64 inOctober = 0;
    for (const Expected &e : s.responses)
        inOctober += e.meta.started.date().month() == 10;
    const QList<QHash<QString, QString>> october = csvRecords(pythonCsv(range.filePath(kForm + QStringLiteral(".csv"))));
    CHECK(october.size() == inOctober);
    for (const auto &rec : october)
        CHECK(rec.value(QStringLiteral("start")).startsWith(QStringLiteral("2026-10-")));
}

TEST_CASE("Bad export requests are refused with what and where", "[export]")
{
    QTemporaryDir out;
    auto refused = [&](const QStringList &args, int code, const char *message) {
        const ProcessResult r = exportTo(out.filePath(QStringLiteral("x")), args);
        INFO(r.err.toStdString());
        CHECK(r.exitCode == code);
        CHECK(r.err.contains(message));
    };
    refused({QStringLiteral("--case-study"), QStringLiteral("nowhere")}, 1, "unknown case study 'nowhere'");
    refused({QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("xlsx")}, 1, "unknown format 'xlsx'");
    refused({QStringLiteral("--all"), QStringLiteral("--from"), QStringLiteral("2026-11-02"), QStringLiteral("--to"),
             QStringLiteral("2026-11-01")}, 1, "--from 2026-11-02 is after --to 2026-11-01");
    refused({QStringLiteral("--all"), QStringLiteral("--from"), QStringLiteral("yesterday")}, 2, "--from 'yesterday' is not a date");
    refused({}, 2, "give either --case-study ID or --all");
    refused({QStringLiteral("--all"), QStringLiteral("--coarsen-location"), QStringLiteral("-5")}, 2, "--coarsen-location");
    CHECK_FALSE(QFileInfo::exists(out.filePath(QStringLiteral("x"))));
}
