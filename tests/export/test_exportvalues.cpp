// SPDX-License-Identifier: Apache-2.0
// What an analyst computes from the exports, checked against hand-computed figures with real
// readers (PSPP, ReadStat's CLI, R's haven): the form's own integer codes, choices declared
// missing, every language, geopoint columns, interview language and received time, long-layout
// row counts and the AAPOR outcome rates. The data is a handful of hand-made interviews.
#include "exportfixture.h"

#include "batchcodec.h"
#include "readstatsink.h"

#include <QStandardPaths>

using namespace kerbside;
using namespace kerbside::test;

namespace {

const QString kForm = QStringLiteral("values");
const QString kUuid = QStringLiteral("0190a000-0000-7000-8000-00000000000%1");

// A form with integer choice names (1/0 and 5/4/3/99), a Likert scale with a "don't know"
// declared missing, a select_multiple with a long question, a geopoint; English and Polish.
const char kFormJson[] = R"({
  "format": "kerbside-form/1", "id": "values", "version": "1",
  "title": {"en": "Values test", "pl": "Test wartości"},
  "default_language": "en", "languages": ["en", "pl"],
  "choices": {
    "yn01": [{"name": "1", "label": {"en": "Yes", "pl": "Tak"}}, {"name": "0", "label": {"en": "No", "pl": "Nie"}}],
    "scale": [{"name": "5", "label": {"en": "High", "pl": "Wysoko"}}, {"name": "4", "label": {"en": "Middle", "pl": "Średnio"}},
              {"name": "3", "label": {"en": "Low", "pl": "Nisko"}},
              {"name": "99", "label": {"en": "Don't know", "pl": "Nie wiem"}, "missing": true}],
    "agree": [{"name": "1", "label": {"en": "Strongly disagree", "pl": "Zdecydowanie nie"}},
              {"name": "2", "label": {"en": "Disagree", "pl": "Nie"}}, {"name": "3", "label": {"en": "Neither", "pl": "Ani tak, ani nie"}},
              {"name": "4", "label": {"en": "Agree", "pl": "Tak"}}, {"name": "5", "label": {"en": "Strongly agree", "pl": "Zdecydowanie tak"}},
              {"name": "dk", "label": {"en": "Don't know", "pl": "Nie wiem"}, "missing": true}],
    "ways": [{"name": "meeting", "label": {"en": "Went to a meeting about it", "pl": "Udział w spotkaniu"}},
             {"name": "leaflet", "label": {"en": "Read the leaflet", "pl": "Przeczytałem ulotkę"}}]
  },
  "questions": [
    {"name": "consent", "type": "consent", "label": {"en": "May we ask you a few questions?", "pl": "Czy możemy zadać kilka pytań?"}},
    {"name": "yn", "type": "select_one", "choices": "yn01", "label": {"en": "Do you live here?", "pl": "Czy tu mieszkasz?"}},
    {"name": "scale", "type": "select_one", "choices": "scale", "label": {"en": "How involved are you?", "pl": "Jak bardzo się angażujesz?"}},
    {"name": "likert", "type": "select_one", "choices": "agree", "label": {"en": "I can influence decisions.", "pl": "Mogę wpływać na decyzje."}},
    {"name": "ways", "type": "select_multiple", "choices": "ways",
     "label": {"en": "Thinking about the last twelve months, have you been involved in the Community Contract in any of these ways?",
               "pl": "Czy w ostatnich dwunastu miesiącach brałeś udział w Kontrakcie Społecznym w któryś z tych sposobów?"}},
    {"name": "spot", "type": "geopoint", "label": {"en": "Where are we?", "pl": "Gdzie jesteśmy?"}}
  ]
})";

struct Made
{
    QString uuid;
    ResponseStatus status;
    QString enumerator;
    int day; // of December 2026
    QString language;
    QMap<QString, QString> answers;
};

/** The hand-made collector database: seven interviews and six contacts in one case study. */
struct ValuesDb
{
    QTemporaryDir dir;
    QString path;
    QDateTime received = QDateTime(QDate(2026, 12, 5), QTime(18, 30), Qt::UTC);
    QList<Made> made;

    ValuesDb()
    {
        path = dir.filePath(QStringLiteral("values.sqlite"));
        auto store = openCollectorStore(path);
        store->addCaseStudy(QStringLiteral("cs1"), QStringLiteral("Case study 1"));
        const QByteArray json(kFormJson);
        REQUIRE(FormLoader::loadJson(json).ok());
        store->publishForm({kForm, QStringLiteral("1"), QStringLiteral("Values test"), json, {}, received, {}},
                           {QStringLiteral("cs1")});
        auto yes = [](QMap<QString, QString> a) {
            a.insert(QStringLiteral("consent"), QStringLiteral("yes"));
            return a;
        };
        const QString a = QStringLiteral("fw-a"), b = QStringLiteral("fw-b");
        made = {
            {kUuid.arg(1), ResponseStatus::Complete, a, 1, QStringLiteral("en"),
             yes({{"yn", "1"}, {"scale", "5"}, {"likert", "4"}, {"ways", "meeting"}, {"spot", "53.458998 -2.232217 12 17"}})},
            {kUuid.arg(2), ResponseStatus::Complete, a, 1, QStringLiteral("pl"),
             yes({{"yn", "0"}, {"scale", "4"}, {"likert", "dk"}, {"ways", "leaflet meeting"}, {"spot", "53.5 -2.3 0 5"}})},
            {kUuid.arg(3), ResponseStatus::Complete, b, 2, QStringLiteral("en"), yes({{"yn", "0"}, {"scale", "99"}, {"likert", "2"}})},
            {kUuid.arg(4), ResponseStatus::Complete, b, 2, QStringLiteral("en"), yes({{"yn", "1"}, {"scale", "3"}, {"likert", "5"}})},
            {kUuid.arg(5), ResponseStatus::Partial, b, 2, QStringLiteral("en"), yes({{"yn", "1"}})},
            {kUuid.arg(6), ResponseStatus::Refused, a, 1, QStringLiteral("en"), {{"consent", "no"}}},
            {kUuid.arg(7), ResponseStatus::ScreenedOut, a, 2, QStringLiteral("en"), yes({})},
        };
        OutboxBatch batch;
        for (const Made &m : made) {
            Response r;
            r.meta.uuid = m.uuid;
            r.meta.formId = kForm;
            r.meta.formVersion = QStringLiteral("1");
            r.meta.caseStudy = QStringLiteral("cs1");
            r.meta.enumerator = m.enumerator;
            r.meta.deviceId = QStringLiteral("dev-fw-a"); // one tablet, two fieldworkers: a device sends only its own
            r.meta.status = m.status;
            r.meta.started = QDateTime(QDate(2026, 12, m.day), QTime(10, 0), Qt::UTC);
            r.meta.ended = r.meta.started.addSecs(300);
            r.meta.updated = r.meta.ended;
            r.meta.language = m.language;
            // The tablet's recorded offset: Warsaw in winter, Newfoundland; the rest from an app
            // that did not record one.
            if (m.uuid == kUuid.arg(1))
                r.meta.startedUtcOffset = 3600;
            else if (m.uuid == kUuid.arg(2))
                r.meta.startedUtcOffset = -(3 * 3600 + 30 * 60);
            r.answers = m.answers;
            batch.responses.append(r);
            QList<ParadataEvent> paradata;
            if (m.language == QStringLiteral("pl")) // switched from English during the interview
                paradata.append({m.uuid, r.meta.started.addSecs(20), ParadataEvent::Kind::LanguageSwitched, {}, m.language});
            batch.paradata.append(paradata);
        }
        const QList<std::pair<Disposition, int>> contacts{
            {Disposition::Refused, 1}, {Disposition::Refused, 2}, {Disposition::NotResident, 1},
            {Disposition::Ineligible, 2}, {Disposition::LanguageBarrier, 1}, {Disposition::ComeBackLater, 2}};
        int n = 0;
        for (const auto &[d, day] : contacts) {
            ContactEntry c;
            c.uuid = QStringLiteral("0190a000-0000-7000-8000-0000000001%1").arg(++n, 2, 10, QLatin1Char('0'));
            c.caseStudy = QStringLiteral("cs1");
            c.enumerator = QStringLiteral("fw-a");
            c.deviceId = QStringLiteral("dev-fw-a");
            c.time = QDateTime(QDate(2026, 12, day), QTime(9, 0), Qt::UTC);
            c.disposition = d;
            batch.contacts.append(c);
        }
        BatchHeader h;
        h.deviceId = QStringLiteral("dev-fw-a");
        h.sequence = 1;
        h.created = received;
        const QByteArray raw = BatchCodec::encode(h, batch);
        store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("usb"), received);
    }
};

ValuesDb &db()
{
    static ValuesDb d;
    return d;
}

QString exportValues(const QStringList &extra)
{
    static QList<std::shared_ptr<QTemporaryDir>> keep;
    keep.append(std::make_shared<QTemporaryDir>());
    const QString out = keep.last()->path();
    const ProcessResult r = runProcess(kerbsideBinary(), QStringList{QStringLiteral("export"), QStringLiteral("--db"), db().path,
                                                                     QStringLiteral("--out"), out, QStringLiteral("--all")} + extra);
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    return out;
}

/** Runs PSPP syntax; returns what it printed as CSV. */
QString pspp(const QString &dir, const QByteArray &syntax)
{
    const QString file = QDir(dir).filePath(QStringLiteral("run.sps"));
    QFile f(file);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(syntax);
    f.close();
    const QString listing = QDir(dir).filePath(QStringLiteral("listing.csv"));
    const ProcessResult p = runProcess(QStringLiteral("pspp"), {QStringLiteral("-O"), QStringLiteral("format=csv"),
                                                                QStringLiteral("-o"), listing, file});
    INFO(p.out.toStdString() << p.err.toStdString());
    REQUIRE(p.exitCode == 0);
    return QString::fromUtf8(readAll(listing));
}

QByteArray q(const QString &path)
{
    return "'" + QFile::encodeName(path) + "'";
}

/** Runs R code with haven loaded; returns stdout. */
QString rscript(const QString &code)
{
    const QString r = QStandardPaths::findExecutable(QStringLiteral("Rscript"));
    REQUIRE_FALSE(r.isEmpty()); // .ci/deps.sh installs r-base-core and r-cran-haven
    const ProcessResult p = runProcess(r, {QStringLiteral("-e"), QStringLiteral("suppressMessages(library(haven)); ") + code});
    INFO(p.err.toStdString());
    REQUIRE(p.exitCode == 0);
    return QString::fromUtf8(p.out);
}

} // namespace

TEST_CASE("Integer choice names keep their numbers and choices declared missing are missing, in PSPP", "[export]")
{
    const QString out = exportValues({QStringLiteral("--format"), QStringLiteral("sav,csv")});
    const QString sav = out + QStringLiteral("/values.sav");
    // Means as PSPP computes them: user-missing values (dk, 99, -97..-99) left out.
    const QString listing = pspp(out, "GET FILE=" + q(sav) + ".\n"
        "COMPUTE one = 1.\n"
        "AGGREGATE OUTFILE=" + q(out + QStringLiteral("/means.sav")) + " /BREAK=one\n"
        "  /likert=MEAN(likert) /scale=MEAN(scale) /yn=MEAN(yn) /nlikert=NU(likert) /nscale=NU(scale).\n"
        "GET FILE=" + q(out + QStringLiteral("/means.sav")) + ".\n"
        "FORMATS likert scale yn (F12.6).\n"
        "LIST likert scale yn nlikert nscale.\n"
        "GET FILE=" + q(sav) + ".\n"
        "DISPLAY DICTIONARY /VARIABLES=yn scale likert ways_meeting.\n"
        "LIST uuid yn scale likert.\n");
    INFO(listing.toStdString());
    // likert: 4, (dk), 2, 5 -> 11/3; scale: 5, 4, (99), 3 -> 4; yn: 1, 0, 0, 1, 1 -> 0.6.
    CHECK(listing.contains(QStringLiteral("3.666667,4.000000,.600000,3,3")));
    // The codes themselves: 0 stays 0, 99 stays 99 (declared missing), dk is 6 (declared missing).
    CHECK(listing.contains(kUuid.arg(2) + QStringLiteral(",0,4,6")));
    CHECK(listing.contains(kUuid.arg(3) + QStringLiteral(",0,99,2")));
    CHECK(listing.contains(QStringLiteral("-99 THRU -97; 99")));
    CHECK(listing.contains(QStringLiteral("-99 THRU -97; 6")));
    CHECK(listing.contains(QStringLiteral(",0,No")));
    CHECK(listing.contains(QStringLiteral("99[a],Don't know")));
    // select_multiple dummies: the choice first.
    CHECK(listing.contains(QStringLiteral("Went to a meeting about it: Thinking about the last twelve months")));

    // The CSV keeps the names; the declared-missing choices are listed in the companion file.
    const QList<QHash<QString, QString>> rows = csvRecords(pythonCsv(out + QStringLiteral("/values.csv")));
    REQUIRE(rows.size() == 7);
    CHECK(rows[1].value(QStringLiteral("likert")).isEmpty());
    CHECK(rows[0].value(QStringLiteral("yn")) == QStringLiteral("1"));
    CHECK(rows[1].value(QStringLiteral("yn")) == QStringLiteral("0"));
    const QList<QStringList> missing = pythonCsv(out + QStringLiteral("/values.missing.csv"));
    REQUIRE(missing.size() == 3);
    CHECK(missing[1] == QStringList{kUuid.arg(2), QStringLiteral("likert"), QStringLiteral("dk"), QStringLiteral("Don't know")});
    CHECK(missing[2] == QStringList{kUuid.arg(3), QStringLiteral("scale"), QStringLiteral("99"), QStringLiteral("Don't know")});
}

TEST_CASE("Stata: codes kept, choices declared missing read back as labelled .d by R haven", "[export]")
{
    const QString out = exportValues({QStringLiteral("--format"), QStringLiteral("dta,jsonl")});
    const QString dta = out + QStringLiteral("/values.dta");
    // ReadStat's CLI: the integer codes as stored.
    const ProcessResult conv = runProcess(QStringLiteral("readstat"), {dta, out + QStringLiteral("/dta.csv")});
    REQUIRE(conv.exitCode == 0);
    const QList<QHash<QString, QString>> rows = csvRecords(pythonCsv(out + QStringLiteral("/dta.csv")));
    REQUIRE(rows.size() == 7);
    CHECK(rows[0].value(QStringLiteral("yn")) == QStringLiteral("1"));
    CHECK(rows[1].value(QStringLiteral("yn")) == QStringLiteral("0"));
    CHECK(rows[2].value(QStringLiteral("scale")).isEmpty()); // 99: extended missing
    CHECK(rows[3].value(QStringLiteral("scale")) == QStringLiteral("3"));
    // R haven: the tags and their labels, and the mean without them.
    const QString r = rscript(QStringLiteral(
        "d <- read_dta('%1'); cat(na_tag(d$likert), sep=','); cat('\\n'); cat(na_tag(d$scale), sep=','); cat('\\n');"
        "cat(sprintf('%.6f', mean(as.numeric(d$likert), na.rm=TRUE)), '\\n');"
        "l <- attr(d$likert, 'labels'); cat(names(l)[is.na(l) & na_tag(l) == 'd'], '\\n');"
        "cat(attr(d$ways_meeting, 'label'), '\\n');").arg(dta));
    INFO(r.toStdString());
    const QStringList lines = r.split(QLatin1Char('\n'));
    REQUIRE(lines.size() >= 5);
    // likert: 4, .d (dk), 2, 5, .b (partial: not answered), .c (refused), .b (screened out).
    CHECK(lines[0] == QStringLiteral("NA,d,NA,NA,b,c,b"));
    CHECK(lines[1] == QStringLiteral("NA,NA,d,NA,b,c,b"));
    CHECK(lines[2].trimmed() == QStringLiteral("3.666667"));
    CHECK(lines[3].trimmed() == QStringLiteral("Don't know"));
    // 80 characters at most, choice first, cut at a word with an ellipsis.
    const QString label = lines[4].trimmed();
    CHECK(label.size() <= 80);
    CHECK(label == QStringLiteral("Went to a meeting about it: Thinking about the last twelve months, have you\u2026"));

    // JSON Lines: null, and the chosen missing choice's name under _missing.
    const QList<QByteArray> lines2 = readAll(out + QStringLiteral("/values.jsonl")).split('\n');
    const QJsonObject second = QJsonDocument::fromJson(lines2[1]).object();
    CHECK(second.value(QStringLiteral("likert")).isNull());
    CHECK(second.value(QStringLiteral("_missing")).toObject().value(QStringLiteral("likert")) == QStringLiteral("dk"));
}

TEST_CASE("Stata labels are cut at a word with an ellipsis, never mid-word", "[export]")
{
    const QByteArray cut = ReadStatSink::stataLabel(QStringLiteral(
        "Went to a meeting about it: Thinking about the last twelve months, have you been involved"));
    const QString s = QString::fromUtf8(cut);
    CHECK(s == QStringLiteral("Went to a meeting about it: Thinking about the last twelve months, have you\u2026"));
    CHECK(s.size() <= 80);
    CHECK(ReadStatSink::stataLabel(QStringLiteral("short")) == QByteArray("short"));
}

TEST_CASE("Labels in another language (--language) and the relabelling syntax files, read by PSPP", "[export]")
{
    const QString out = exportValues({QStringLiteral("--format"), QStringLiteral("sav,dta"), QStringLiteral("--language"), QStringLiteral("pl")});
    // Labels in Polish in the file itself; English relabelling syntax beside it.
    QString listing = pspp(out, "GET FILE=" + q(out + QStringLiteral("/values.sav")) + ".\nDISPLAY DICTIONARY /VARIABLES=yn likert.\n");
    CHECK(listing.contains(QStringLiteral("Czy tu mieszkasz?")));
    CHECK(listing.contains(QStringLiteral(",5,Zdecydowanie tak")));
    REQUIRE(QFile::exists(out + QStringLiteral("/values.en.sps")));
    REQUIRE(QFile::exists(out + QStringLiteral("/values.en.do")));
    listing = pspp(out, "GET FILE=" + q(out + QStringLiteral("/values.sav")) + ".\nINSERT FILE=" + q(out + QStringLiteral("/values.en.sps"))
                            + ".\nDISPLAY DICTIONARY /VARIABLES=yn likert.\n");
    CHECK(listing.contains(QStringLiteral("Do you live here?")));
    CHECK(listing.contains(QStringLiteral(",5,Strongly agree")));
    CHECK(listing.contains(QStringLiteral("-99 THRU -97; 6"))); // missing values untouched
    const QString doFile = QString::fromUtf8(readAll(out + QStringLiteral("/values.en.do")));
    CHECK(doFile.contains(QStringLiteral("label variable yn `\"Do you live here?\"'")));
    CHECK(doFile.contains(QStringLiteral("label define likert 1 `\"Strongly disagree\"'")));
    CHECK(doFile.contains(QStringLiteral(".d `\"Don't know\"'")));
    CHECK(doFile.contains(QStringLiteral("label values likert likert")));

    // The default language relabels into Polish; an unknown language is refused.
    const QString en = exportValues({QStringLiteral("--format"), QStringLiteral("sav")});
    CHECK(QFile::exists(en + QStringLiteral("/values.pl.sps")));
    QTemporaryDir bad;
    const ProcessResult r = runProcess(kerbsideBinary(), {QStringLiteral("export"), QStringLiteral("--db"), db().path, QStringLiteral("--out"),
                                                          bad.path(), QStringLiteral("--all"), QStringLiteral("--language"), QStringLiteral("de")});
    CHECK(r.exitCode != 0);
    CHECK(r.err.contains("--language de: form values has no such language (it has en, pl)"));
}

TEST_CASE("Geopoint answers, interview language and received time as their own variables", "[export]")
{
    const QString out = exportValues({QStringLiteral("--format"), QStringLiteral("sav,csv")});
    const QList<QHash<QString, QString>> rows = csvRecords(pythonCsv(out + QStringLiteral("/values.csv")));
    REQUIRE(rows.size() == 7);
    CHECK(rows[0].value(QStringLiteral("spot_lat")) == QStringLiteral("53.458998"));
    CHECK(rows[0].value(QStringLiteral("spot_lon")) == QStringLiteral("-2.232217"));
    CHECK(rows[0].value(QStringLiteral("spot_alt")) == QStringLiteral("12"));
    CHECK(rows[0].value(QStringLiteral("spot_acc")) == QStringLiteral("17"));
    CHECK(rows[1].value(QStringLiteral("language")) == QStringLiteral("pl"));
    CHECK(rows[1].value(QStringLiteral("language_switched")) == QStringLiteral("1"));
    CHECK(rows[0].value(QStringLiteral("language_switched")) == QStringLiteral("0"));
    CHECK(rows[0].value(QStringLiteral("received")) == QStringLiteral("2026-12-05T18:30:00Z"));
    CHECK(rows[0].value(QStringLiteral("form_version")) == QStringLiteral("1"));
    CHECK_FALSE(rows[0].contains(QStringLiteral("spot")));
    // PSPP: numeric, and the mean latitude of the two located interviews.
    const QString listing = pspp(out, "GET FILE=" + q(out + QStringLiteral("/values.sav")) + ".\n"
        "COMPUTE one = 1.\n"
        "AGGREGATE OUTFILE=" + q(out + QStringLiteral("/geo.sav")) + " /BREAK=one /lat=MEAN(spot_lat) /acc=MEAN(spot_acc).\n"
        "GET FILE=" + q(out + QStringLiteral("/geo.sav")) + ".\nFORMATS lat acc (F12.6).\nLIST lat acc.\n");
    CHECK(listing.contains(QStringLiteral("53.479499,11.000000")));
}

TEST_CASE("The local start time with the tablet's UTC offset, empty where it was not recorded", "[export]")
{
    const QString out = exportValues({QStringLiteral("--format"), QStringLiteral("csv,sav,dta,jsonl")});
    const QList<QHash<QString, QString>> rows = csvRecords(pythonCsv(out + QStringLiteral("/values.csv")));
    REQUIRE(rows.size() == 7);
    // All started at 10:00 UTC.
    CHECK(rows[0].value(QStringLiteral("start")) == QStringLiteral("2026-12-01T10:00:00Z"));
    CHECK(rows[0].value(QStringLiteral("start_local")) == QStringLiteral("2026-12-01T11:00:00+01:00"));
    CHECK(rows[0].value(QStringLiteral("start_utc_offset_min")) == QStringLiteral("60"));
    CHECK(rows[1].value(QStringLiteral("start_local")) == QStringLiteral("2026-12-01T06:30:00-03:30"));
    CHECK(rows[1].value(QStringLiteral("start_utc_offset_min")) == QStringLiteral("-210"));
    CHECK(rows[2].value(QStringLiteral("start_local")).isEmpty()); // never guessed
    CHECK(rows[2].value(QStringLiteral("start_utc_offset_min")).isEmpty());
    // PSPP: the clock time the fieldworker saw, and system-missing where unknown.
    const QString listing = pspp(out, "GET FILE=" + q(out + QStringLiteral("/values.sav")) + ".\n"
        "SELECT IF NOT SYSMIS(start_local).\nCOMPUTE hour = XDATE.HOUR(start_local).\n"
        "LIST uuid start_local start_utc_offset_min hour.\n");
    INFO(listing.toStdString());
    CHECK(listing.contains(kUuid.arg(1) + QStringLiteral(",01-DEC-2026 11:00:00,60,11")));
    CHECK(listing.contains(kUuid.arg(2) + QStringLiteral(",01-DEC-2026 06:30:00,-210,6")));
    CHECK_FALSE(listing.contains(kUuid.arg(3)));
    // R haven on the .dta: the same clock times, NA where unknown.
    const QString r = rscript(QStringLiteral(
        "d <- read_dta('%1'); cat(format(d$start_local, '%Y-%m-%d %H:%M', tz='UTC'), sep=','); cat('\\n');"
        "cat(d$start_utc_offset_min, sep=',');").arg(out + QStringLiteral("/values.dta")));
    INFO(r.toStdString());
    const QStringList lines = r.split(QLatin1Char('\n'));
    REQUIRE(lines.size() >= 2);
    CHECK(lines[0].startsWith(QStringLiteral("2026-12-01 11:00,2026-12-01 06:30,NA,NA")));
    CHECK(lines[1].startsWith(QStringLiteral("60,-210,NA")));
    // JSON Lines: the ISO text, and null.
    const QList<QByteArray> json = readAll(out + QStringLiteral("/values.jsonl")).split('\n');
    CHECK(QJsonDocument::fromJson(json[1]).object().value(QStringLiteral("start_local")) == QStringLiteral("2026-12-01T06:30:00-03:30"));
    CHECK(QJsonDocument::fromJson(json[2]).object().value(QStringLiteral("start_local")).isNull());
    const QString codebook = QString::fromUtf8(readAll(out + QStringLiteral("/codebook.md")));
    CHECK(codebook.contains(QStringLiteral("date-time, the tablet's clock time")));
}

TEST_CASE("AAPOR outcome rates against hand-computed counts", "[export]")
{
    const QString out = exportValues({});
    const QList<QHash<QString, QString>> rows = csvRecords(pythonCsv(out + QStringLiteral("/summary.csv")));
    auto find = [&](const QString &level, const QString &key) {
        for (const auto &r : rows) {
            if (r.value(QStringLiteral("level")) == level
                && (key.isEmpty() || r.value(QStringLiteral("enumerator")) == key || r.value(QStringLiteral("day")) == key))
                return r;
        }
        FAIL("no row " << level.toStdString() << " " << key.toStdString());
        return QHash<QString, QString>{};
    };
    // cs1: I = 4 complete, P = 1 partial, R = 1 refused at consent + 2 refusing contacts,
    // O = language barrier + come back later, NE = not resident + ineligible + screened out.
    const auto cs = find(QStringLiteral("case_study"), {});
    CHECK(cs.value(QStringLiteral("I")) == QStringLiteral("4"));
    CHECK(cs.value(QStringLiteral("P")) == QStringLiteral("1"));
    CHECK(cs.value(QStringLiteral("R")) == QStringLiteral("3"));
    CHECK(cs.value(QStringLiteral("NC")) == QStringLiteral("0"));
    CHECK(cs.value(QStringLiteral("O")) == QStringLiteral("2"));
    CHECK(cs.value(QStringLiteral("NE")) == QStringLiteral("3"));
    CHECK(cs.value(QStringLiteral("RR5")) == QStringLiteral("0.4000"));  // 4/10
    CHECK(cs.value(QStringLiteral("RR6")) == QStringLiteral("0.5000"));  // 5/10
    CHECK(cs.value(QStringLiteral("COOP1")) == QStringLiteral("0.4000")); // 4/(5+3+2)
    CHECK(cs.value(QStringLiteral("COOP2")) == QStringLiteral("0.5000")); // 5/10
    CHECK(cs.value(QStringLiteral("COOP3")) == QStringLiteral("0.5000")); // 4/(5+3)
    CHECK(cs.value(QStringLiteral("COOP4")) == QStringLiteral("0.6250")); // 5/8
    CHECK(cs.value(QStringLiteral("REF3")) == QStringLiteral("0.3000"));  // 3/10
    CHECK(cs.value(QStringLiteral("eligibility")) == QStringLiteral("0.7692")); // 10/13
    // fw-b: 2 complete + 1 partial on day 2, nothing else: RR5 = 2/3, COOP3 = 2/3.
    const auto b = find(QStringLiteral("fieldworker"), QStringLiteral("fw-b"));
    CHECK(b.value(QStringLiteral("I")) == QStringLiteral("2"));
    CHECK(b.value(QStringLiteral("P")) == QStringLiteral("1"));
    CHECK(b.value(QStringLiteral("RR5")) == QStringLiteral("0.6667"));
    CHECK(b.value(QStringLiteral("RR6")) == QStringLiteral("1.0000"));
    // Day 1: r1, r2 complete, r6 refused, contacts refused + not resident + language barrier.
    const auto d1 = find(QStringLiteral("day"), QStringLiteral("2026-12-01"));
    CHECK(d1.value(QStringLiteral("I")) == QStringLiteral("2"));
    CHECK(d1.value(QStringLiteral("R")) == QStringLiteral("2"));
    CHECK(d1.value(QStringLiteral("O")) == QStringLiteral("1"));
    CHECK(d1.value(QStringLiteral("NE")) == QStringLiteral("1"));
    CHECK(d1.value(QStringLiteral("RR5")) == QStringLiteral("0.4000")); // 2/5
    CHECK(d1.value(QStringLiteral("eligibility")) == QStringLiteral("0.8333")); // 5/6
    // The codebook documents the classes and the formulas.
    const QString codebook = QString::fromUtf8(readAll(out + QStringLiteral("/codebook.md")));
    CHECK(codebook.contains(QStringLiteral("| NE not eligible | `screened_out` (quota full) | `not_resident`, `ineligible` |")));
    CHECK(codebook.contains(QStringLiteral("RR5 = I/((I+P)+(R+NC+O))")));
    CHECK(codebook.contains(QStringLiteral("[every choice name is an integer: the code is the name]")));
    CHECK(codebook.contains(QStringLiteral("6 = dk: Don't know (declared missing; Stata .d)")));
}

TEST_CASE("Long layout: the manifest and the console count rows as written", "[export]")
{
    QTemporaryDir out;
    const ProcessResult r = runProcess(kerbsideBinary(), {QStringLiteral("export"), QStringLiteral("--db"), db().path, QStringLiteral("--out"),
                                                          out.path(), QStringLiteral("--all"), QStringLiteral("--long"),
                                                          QStringLiteral("--format"), QStringLiteral("csv,sav")});
    REQUIRE(r.exitCode == 0);
    qint64 answers = 0;
    for (const Made &m : db().made)
        answers += m.answers.size();
    const QList<QStringList> rows = pythonCsv(out.filePath(QStringLiteral("values.long.csv")));
    CHECK(rows.size() - 1 == answers);
    CHECK(r.out.contains(QStringLiteral("values.long.csv  %1 rows").arg(answers).toUtf8()));
    const QJsonObject manifest = QJsonDocument::fromJson(readAll(out.filePath(QStringLiteral("manifest.json")))).object();
    for (const QJsonValue &f : manifest.value(QStringLiteral("files")).toArray()) {
        const QString name = f.toObject().value(QStringLiteral("name")).toString();
        if (name == QStringLiteral("values.long.csv") || name == QStringLiteral("values.long.sav"))
            CHECK(f.toObject().value(QStringLiteral("rows")).toInteger() == answers);
    }
}

TEST_CASE("Every sub-command answers `kerbside help NAME` and `NAME --help`", "[export]")
{
    for (const char *name : {"casestudy", "conflicts", "device", "enrol", "export", "expr", "form", "import", "migrate",
                             "publish", "quota", "refusals", "rescue", "serve", "simulate", "user"}) {
        INFO(name);
        const ProcessResult a = runProcess(kerbsideBinary(), {QStringLiteral("help"), QLatin1String(name)});
        const ProcessResult b = runProcess(kerbsideBinary(), {QLatin1String(name), QStringLiteral("--help")});
        CHECK(a.exitCode == 0);
        CHECK(b.exitCode == 0);
        CHECK(a.out.startsWith("usage: kerbside " + QByteArray(name)));
        CHECK(a.out == b.out);
    }
    CHECK(runProcess(kerbsideBinary(), {QStringLiteral("help"), QStringLiteral("export")}).out.contains("--language CODE"));
}
