// SPDX-License-Identifier: Apache-2.0
#include "responsetable.h"

#include "fieldworkcolumns.h"

#include "isotime.h"
#include "metalabels.h"

#include "form/repeatpath.h"
#include "interview/interview.h"

#include <QDate>
#include <QDateTime>
#include <QLocale>
#include <QTime>

#include <algorithm>
#include <cmath>
#include <map>

namespace kerbside {

namespace {

enum MetaColumn { kUuid, kCaseStudy, kFormIdCol, kFormVersion, kEnumerator, kDevice, kStart, kStartLocal,
                  kStartOffset, kEnd, kDuration, kLatitude, kLongitude, kAccuracy, kStatus, kLanguage,
                  kLanguageSwitched, kReceived, kMetaCount };
// The long layout keeps uuid .. start_utc_offset_min, then:
enum LongColumn { kLongStatus = kEnd, kLongQuestion, kLongType, kLongValue, kLongValueLabel, kLongCount };

constexpr int kRelevanceCacheLimit = 20000; // entries; cleared when reached to keep memory flat

// Form versions are strings; by convention yyyymmddrr, so compare digit strings as numbers.
bool newerVersion(const QString &a, const QString &b)
{
    auto digits = [](const QString &s) {
        return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar c) { return c.isDigit(); });
    };
    if (digits(a) && digits(b) && a.size() != b.size())
        return a.size() > b.size();
    return a > b;
}

QByteArray isoUtc(const QDateTime &t)
{
    return isotime::utcSeconds(t.toMSecsSinceEpoch());
}

QByteArray shortest(double v)
{
    return QByteArray::number(v, 'g', QLocale::FloatingPointShortest);
}

int statusCode(ResponseStatus s)
{
    switch (s) {
    case ResponseStatus::Complete: return 1;
    case ResponseStatus::Refused: return 2;
    case ResponseStatus::Draft: return 3;
    case ResponseStatus::Discarded: return 4;
    case ResponseStatus::Partial: return 5;
    case ResponseStatus::ScreenedOut: return 6;
    }
    return 0;
}

// A choice name that is an integer written the plain way ("5", "-1", "0"; not "05" or "+5").
bool integerName(const QString &name, int *value)
{
    bool ok = false;
    const int v = name.toInt(&ok);
    if (!ok || QString::number(v) != name)
        return false;
    *value = v;
    return true;
}

QHash<QString, QString> everyLanguage(const LocalizedText &t, const QStringList &languages, const QString &fallback)
{
    QHash<QString, QString> out;
    for (const QString &l : languages)
        out.insert(l, t.text(l, fallback));
    return out;
}

ExportColumn column(const QString &name, ColumnKind kind, const QString &label)
{
    ExportColumn c;
    c.name = name;
    c.kind = kind;
    c.label = label;
    c.questionType = QStringLiteral("metadata");
    return c;
}

QString relevanceText(const Form &form, const Question &q)
{
    QStringList parts;
    for (int g = q.group; g >= 0; g = form.groups[g].parent) {
        if (!form.groups[g].relevant.isNull())
            parts.prepend(form.groups[g].relevant.text().trimmed());
    }
    if (!q.relevant.isNull())
        parts.append(q.relevant.text().trimmed());
    if (parts.size() > 1) {
        for (QString &p : parts)
            p = QLatin1Char('(') + p + QLatin1Char(')');
    }
    return parts.join(QStringLiteral(" and "));
}

} // namespace

struct ResponseTable::Slot
{
    QString name;
    QuestionType type = QuestionType::Text;
    int column = -1;          // the question's own column
    QStringList choices;      // union of the versions' choice names (selects)
    QHash<QString, QString> choiceLabels; // in the export's language
    QHash<QString, QHash<QString, QString>> choiceLabelsByLanguage;
    QSet<QString> missingChoices; // declared "missing" in the newest version that has them
    QList<int> also;          // geopoint: the lon/alt/acc columns after the question's (lat) column
    QHash<QString, int> bin;  // select_multiple: choice -> column of its 0/1 flag
};

struct ResponseTable::Version
{
    const Form *form = nullptr;
    QList<int> questionOfSlot;  // slot -> question index in this version, -1 when absent
    QStringList relevanceInputs; // answers the relevance rules read (calculations followed)
    bool readsRepeats = false;   // some of them lie inside repeats: every answer is an input
    QHash<QString, QList<bool>> cache; // relevanceInputs' values -> relevant, by question index
};

QStringList ResponseTable::repeatNames(const QList<const Form *> &versions)
{
    QList<const Form *> newestFirst = versions;
    std::sort(newestFirst.begin(), newestFirst.end(),
              [](const Form *a, const Form *b) { return newerVersion(a->version, b->version); });
    QStringList names;
    for (const Form *f : newestFirst) {
        for (const Group &g : f->groups) {
            if (g.repeat && !names.contains(g.name))
                names.append(g.name);
        }
    }
    return names;
}

bool ResponseTable::inScope(const Form &form, const Question &q) const
{
    if (m_repeat.isEmpty())
        return q.repeat < 0;
    return q.repeat >= 0 && form.groups[q.repeat].name == m_repeat;
}

ResponseTable::ResponseTable(const QList<const Form *> &versions, const ExportOptions &options,
                             FieldworkColumns *fieldwork, const QString &repeat)
    : m_options(options), m_fieldwork(repeat.isEmpty() ? fieldwork : nullptr), m_grid(options.coarsenMetres)
{
    m_repeat = repeat;
    if (!m_repeat.isEmpty())
        m_options.longLayout = false; // repeat tables are wide
    QList<const Form *> newestFirst = versions;
    std::sort(newestFirst.begin(), newestFirst.end(),
              [](const Form *a, const Form *b) { return newerVersion(a->version, b->version); });
    if (!newestFirst.isEmpty()) {
        const Form &newest = *newestFirst.first();
        m_formId = newest.id;
        m_language = options.language.isEmpty() ? newest.defaultLanguage : options.language;
        m_table.languages = newest.languages;
        if (m_table.languages.isEmpty())
            m_table.languages.append(newest.defaultLanguage);
        m_table.languages.removeAll(m_language);
        m_table.languages.prepend(m_language);
        m_table.title = newest.title.text(m_language, newest.defaultLanguage);
        m_table.titles = everyLanguage(newest.title, m_table.languages, newest.defaultLanguage);
    }
    m_table.stem = m_formId + (options.longLayout ? QStringLiteral(".long") : QString());
    if (m_repeat.isEmpty()) {
        addMetaColumns();
    } else if (!newestFirst.isEmpty()) {
        m_table.stem = m_formId + QLatin1Char('.') + m_repeat;
        addRepeatMetaColumns(*newestFirst.first());
    }
    addQuestionColumns(newestFirst);

    for (const Form *f : newestFirst) {
        auto v = std::make_shared<Version>();
        v->form = f;
        for (const Slot &s : m_slots)
            v->questionOfSlot.append(f->indexOf(s.name));
        // The answers relevance depends on: names the rules read, followed through
        // calculations and through the relevance of what they read (irrelevant reads as empty).
        QStringList pending;
        for (const Question &q : f->questions)
            pending += q.relevant.references();
        for (const Group &g : f->groups)
            pending += g.relevant.references();
        QSet<QString> seen;
        while (!pending.isEmpty()) {
            const QString name = pending.takeLast();
            if (seen.contains(name))
                continue;
            seen.insert(name);
            const Question *q = f->question(name);
            if (!q)
                continue;
            v->readsRepeats |= q->repeat >= 0;
            pending += q->calculation.references();
            pending += q->relevant.references();
            for (int g = q->group; g >= 0; g = f->groups[g].parent)
                pending += f->groups[g].relevant.references();
        }
        v->relevanceInputs = QStringList(seen.begin(), seen.end());
        v->relevanceInputs.sort();
        m_versions.insert(f->version, v);
    }
    if (m_options.longLayout)
        addLongColumns();
    m_answered.resize(m_slots.size());
}

void ResponseTable::addRepeatMetaColumns(const Form &newest)
{
    // ODK Central's layout: each instance names the response it belongs to and its place.
    QList<ExportColumn> &c = m_table.columns;
    const int g = newest.groupIndexOf(m_repeat);
    const Group *group = g >= 0 ? &newest.groups[g] : nullptr;
    if (group) {
        const QString label = group->label.text(m_language, newest.defaultLanguage);
        m_table.title += QStringLiteral(": ") + (label.isEmpty() ? m_repeat : label);
        for (auto it = m_table.titles.begin(); it != m_table.titles.end(); ++it) {
            const QString l = group->label.text(it.key(), newest.defaultLanguage);
            it.value() += QStringLiteral(": ") + (l.isEmpty() ? m_repeat : l);
        }
    }
    c.append(column(QStringLiteral("parent_uuid"), ColumnKind::Text, QStringLiteral("Response UUID (the uuid of the form's table)")));
    const bool nested = group && group->repeatParent >= 0;
    if (nested) {
        c.append(column(QStringLiteral("_parent_index"), ColumnKind::Text, QStringLiteral("Instance of the enclosing repeat")));
        c.last().note = QStringLiteral("the _index values of the repeats around this one, outermost first, joined by '.'");
    }
    c.append(column(QStringLiteral("_index"), ColumnKind::Number, QStringLiteral("Instance number (from 1)")));
    c.last().note = QStringLiteral("the instance's place in repeat '%1', from 1").arg(m_repeat);
    m_metaColumns = int(c.size());
}

ResponseTable::~ResponseTable() = default;

void ResponseTable::addMetaColumns()
{
    QList<ExportColumn> &c = m_table.columns;
    c.append(column(QStringLiteral("uuid"), ColumnKind::Text, QStringLiteral("Response UUID")));
    c.append(column(QStringLiteral("case_study"), ColumnKind::Text, QStringLiteral("Case study")));
    c.append(column(QStringLiteral("form_id"), ColumnKind::Text, QStringLiteral("Form id")));
    c.append(column(QStringLiteral("form_version"), ColumnKind::Text, QStringLiteral("Form version")));
    c.append(column(QStringLiteral("enumerator"), ColumnKind::Text, QStringLiteral("Enumerator (fieldworker)")));
    c.append(column(QStringLiteral("device"), ColumnKind::Text, QStringLiteral("Device id")));
    c.append(column(QStringLiteral("start"), ColumnKind::DateTime, QStringLiteral("Interview start (UTC)")));
    c.append(column(QStringLiteral("start_local"), ColumnKind::DateTime,
                    QStringLiteral("Interview start, local time on the tablet")));
    c.last().localClock = true;
    c.last().note = QStringLiteral("the tablet's clock time at the start, from the UTC offset it recorded (CSV and "
                                   "JSON: ISO 8601 with that offset, e.g. 2026-12-01T11:00:00+01:00; .sav/.dta: the "
                                   "clock time itself); empty when the tablet did not record its offset (responses "
                                   "from app versions before it did): never guessed from a zone");
    c.append(column(QStringLiteral("start_utc_offset_min"), ColumnKind::Number,
                    QStringLiteral("Tablet's offset from UTC at the start (minutes)")));
    c.last().note = QStringLiteral("minutes east of UTC (60 = UTC+01:00), as the tablet recorded it; start_local = "
                                   "start + this; empty when not recorded");
    c.append(column(QStringLiteral("end"), ColumnKind::DateTime, QStringLiteral("Interview end (UTC)")));
    c.append(column(QStringLiteral("duration_s"), ColumnKind::Number, QStringLiteral("Duration (seconds)")));
    const QString coarse = m_grid.active()
        ? QStringLiteral(" (rounded to a %1 m grid)").arg(m_grid.metres()) : QString();
    c.append(column(QStringLiteral("latitude"), ColumnKind::Number, QStringLiteral("Latitude (WGS84)") + coarse));
    c.append(column(QStringLiteral("longitude"), ColumnKind::Number, QStringLiteral("Longitude (WGS84)") + coarse));
    c.append(column(QStringLiteral("accuracy"), ColumnKind::Number, QStringLiteral("Location accuracy (metres)")));
    c[kLatitude].decimals = c[kLongitude].decimals = 6;
    c[kAccuracy].decimals = 1;
    ExportColumn status = column(QStringLiteral("status"), ColumnKind::Code, QStringLiteral("Interview status"));
    const char *names[] = {"complete", "refused", "draft", "discarded", "partial", "screened_out"};
    const char *labels[] = {"Complete", "Refused at consent", "Draft", "Discarded",
                            "Partial (broken off after consent)", "Screened out (quota full)"};
    for (int i = 0; i < 6; ++i) {
        const QHash<QString, QString> every = metalabels::everyLanguage(labels[i], m_table.languages);
        status.valueLabels.append({i + 1, QString::fromLatin1(names[i]), every.value(m_language, QString::fromLatin1(labels[i])),
                                   every, 0});
        status.codes.insert(QString::fromLatin1(names[i]), i + 1);
    }
    c.append(status);
    c.append(column(QStringLiteral("language"), ColumnKind::Text, QStringLiteral("Interview language (at the end)")));
    c.last().note = QStringLiteral("language code the interview ended in");
    c.append(column(QStringLiteral("language_switched"), ColumnKind::Flag,
                    QStringLiteral("Language switched during the interview")));
    c.last().note = QStringLiteral("1 if the fieldworker switched the interview's language (paradata)");
    c.append(column(QStringLiteral("received"), ColumnKind::DateTime,
                    QStringLiteral("Received by the collector (UTC)")));
    c.last().note = QStringLiteral("when the batch holding this version of the response arrived");
    if (m_grid.active()) {
        c[kLatitude].note = c[kLongitude].note = QStringLiteral(
            "coarsened: rounded to the centre of a %1 m grid cell (personal data)").arg(m_grid.metres());
        c[kAccuracy].note = QStringLiteral("at least the %1 m grid size").arg(m_grid.metres());
    } else {
        c[kLatitude].note = c[kLongitude].note = QStringLiteral(
            "precise position of the interview: personal data; use --coarsen-location to round it");
    }
    if (m_fieldwork && !m_options.longLayout)
        m_fieldwork->addColumns(&c, m_table.languages);
    m_metaColumns = int(c.size());
}

void ResponseTable::addQuestionColumns(const QList<const Form *> &newestFirst)
{
    // Union of questions: newest version's order, then those only older versions had.
    QList<QPair<const Form *, const Question *>> order;
    QSet<QString> seen;
    for (const Form *f : newestFirst) {
        for (const Question &q : f->questions) {
            if (q.type == QuestionType::Note || seen.contains(q.name) || !inScope(*f, q))
                continue;
            seen.insert(q.name);
            order.append({f, &q});
        }
    }
    const QStringList &languages = m_table.languages;
    QList<ExportColumn> &cols = m_table.columns;
    for (const auto &[form, q] : order) {
        if (q->sensitive && !m_options.includeSensitive) {
            m_slotOf.insert(q->name, -2);
            m_omitted.append(q->name);
            continue;
        }
        const QString fallback = form->defaultLanguage;
        Slot slot;
        slot.name = q->name;
        slot.type = q->type;
        // Choices: the newest list's order, then choices only older versions offered.
        auto addChoice = [&](const QString &name, const QHash<QString, QString> &labels, bool missing) {
            slot.choices.append(name);
            slot.choiceLabelsByLanguage.insert(name, labels);
            slot.choiceLabels.insert(name, labels.value(m_language));
            if (missing)
                slot.missingChoices.insert(name);
        };
        for (const Form *f : newestFirst) {
            const Question *vq = f->question(q->name);
            const ChoiceList *list = vq ? f->choicesFor(*vq) : nullptr;
            if (vq && vq->type == QuestionType::Consent && !list) {
                for (const char *c : {"yes", "no"}) {
                    if (!slot.choices.contains(QLatin1String(c))) {
                        const QString label = QLatin1String(c[0] == 'y' ? "Yes" : "No");
                        QHash<QString, QString> labels;
                        for (const QString &l : languages)
                            labels.insert(l, label);
                        addChoice(QLatin1String(c), labels, false);
                    }
                }
            }
            if (!list)
                continue;
            for (const Choice &c : list->choices) {
                if (!slot.choices.contains(c.name))
                    addChoice(c.name, everyLanguage(c.label, languages, f->defaultLanguage), c.missing);
            }
        }
        ExportColumn col;
        col.name = q->name;
        col.question = q->name;
        col.questionType = questionTypeName(q->type);
        col.labels = everyLanguage(q->label, languages, fallback);
        if (q->label.isEmpty()) {
            const QString calculated = q->type == QuestionType::Calculate
                ? QStringLiteral("%1 (calculated: %2)").arg(q->name, q->calculation.text()) : q->name;
            for (const QString &l : languages)
                col.labels.insert(l, calculated);
        }
        col.label = col.labels.value(m_language);
        col.relevance = relevanceText(*form, *q);
        col.sensitive = q->sensitive;
        QStringList versionsWith;
        for (const Form *f : newestFirst) {
            if (f->question(q->name))
                versionsWith.append(f->version);
        }
        if (versionsWith.size() < newestFirst.size())
            col.note = QStringLiteral("only in form version(s) %1").arg(versionsWith.join(QStringLiteral(", ")));
        switch (q->type) {
        case QuestionType::Integer: col.kind = ColumnKind::Number; break;
        case QuestionType::Decimal: col.kind = ColumnKind::Number; col.decimals = 3; break;
        case QuestionType::Date: col.kind = ColumnKind::Date; break;
        case QuestionType::Time: col.kind = ColumnKind::Time; break;
        case QuestionType::DateTime: col.kind = ColumnKind::DateTime; break;
        case QuestionType::SelectOne:
        case QuestionType::Consent: {
            col.kind = ColumnKind::Code;
            // Integer names keep their numbers (a scale 5, 4, 3, 99 stays 5, 4, 3, 99); any
            // other list is coded 1..n in list order. The reasons' codes -97..-99 stay free.
            QList<int> numbers;
            bool integers = !slot.choices.isEmpty();
            for (const QString &name : slot.choices) {
                int v = 0;
                if (!integerName(name, &v) || (v >= missingcode::kRefused && v <= missingcode::kNotRelevant)) {
                    integers = false;
                    break;
                }
                numbers.append(v);
            }
            col.codeRule = integers ? QStringLiteral("every choice name is an integer: the code is the name")
                                    : QStringLiteral("codes 1..n in list order (not every choice name is an integer)");
            char tag = 'd';
            for (int i = 0; i < slot.choices.size(); ++i) {
                const QString &name = slot.choices[i];
                ValueLabel l;
                l.code = integers ? numbers[i] : i + 1;
                l.value = name;
                l.label = slot.choiceLabels.value(name);
                l.labels = slot.choiceLabelsByLanguage.value(name);
                if (slot.missingChoices.contains(name) && tag <= 'z') {
                    l.missingTag = tag++;
                    col.missingCodes.append(l.code);
                }
                col.valueLabels.append(l);
                col.codes.insert(name, l.code);
            }
            break;
        }
        default:
            col.kind = ColumnKind::Text;
        }
        if (q->type == QuestionType::SelectMultiple)
            col.note = QStringLiteral("selected choice names separated by spaces; one 0/1 column per choice follows");
        if (q->type == QuestionType::Rank)
            col.note = QStringLiteral("the choice names in the order ranked, first first, separated by spaces");
        if (q->type == QuestionType::Geotrace || q->type == QuestionType::Geoshape)
            col.note = QStringLiteral("points \"latitude longitude altitude accuracy\" separated by ';'%1")
                           .arg(q->type == QuestionType::Geoshape ? QStringLiteral(", the last equal to the first")
                                                                  : QString());
        if (!q->renamedFrom.isEmpty()) {
            // The XLSForm allowed the same name in two groups; export names are unique, so the
            // import prefixed one. Say which question of the workbook this is.
            const QString renamed = QStringLiteral("renamed at import: the XLSForm name is '%1' at %2 (the name is "
                                                   "also used in another group)")
                                        .arg(q->renamedFrom.section(QLatin1Char('/'), -1), q->renamedFrom);
            col.note = col.note.isEmpty() ? renamed : col.note + QStringLiteral("; ") + renamed;
        }
        slot.column = int(cols.size());
        if (q->type == QuestionType::Geopoint) {
            // Four numbers, not one string: latitude, longitude, altitude, accuracy.
            const char *parts[] = {"lat", "lon", "alt", "acc"};
            const char *what[] = {"latitude (WGS84)", "longitude (WGS84)", "altitude (metres)", "accuracy (metres)"};
            for (int i = 0; i < 4; ++i) {
                ExportColumn g = col;
                g.name = q->name + QLatin1Char('_') + QLatin1String(parts[i]);
                g.kind = ColumnKind::Number;
                g.decimals = i < 2 ? 6 : 1;
                for (auto it = g.labels.begin(); it != g.labels.end(); ++it)
                    it.value() += QStringLiteral(": ") + QLatin1String(what[i]);
                g.label = g.labels.value(m_language);
                g.note = QStringLiteral("%1 of the geopoint answer").arg(QLatin1String(what[i]));
                if (m_grid.active() && i != 2)
                    g.note += QStringLiteral(" (coarsened to a %1 m grid)").arg(m_grid.metres());
                if (i > 0)
                    slot.also.append(int(cols.size()));
                cols.append(g);
            }
        } else {
            cols.append(col);
        }
        if (q->type == QuestionType::SelectMultiple) {
            for (const QString &choice : slot.choices) {
                ExportColumn b;
                b.name = q->name + QLatin1Char('_') + choice;
                b.question = q->name;
                b.questionType = QStringLiteral("select_multiple choice");
                // The choice first, so Stata's 80-character labels keep what tells dummies apart.
                const QHash<QString, QString> choiceLabels = slot.choiceLabelsByLanguage.value(choice);
                for (const QString &l : languages)
                    b.labels.insert(l, choiceLabels.value(l) + QStringLiteral(": ") + col.labels.value(l));
                b.label = b.labels.value(m_language);
                b.kind = ColumnKind::Flag;
                b.relevance = col.relevance;
                b.note = QStringLiteral("1 if '%1' was selected").arg(choice);
                slot.bin.insert(choice, int(cols.size()));
                cols.append(b);
            }
            m_table.notes.append(QStringLiteral("%1_*: %2").arg(q->name, col.label));
        }
        m_slotOf.insert(q->name, int(m_slots.size()));
        m_slots.append(slot);
    }
    if (!m_repeat.isEmpty())
        return; // an answer no version has stays in the response's own table
    ExportColumn unmatched = column(QStringLiteral("unmatched_answers"), ColumnKind::Text,
                                    QStringLiteral("Answers to questions no known form version has"));
    unmatched.questionType = QStringLiteral("text");
    unmatched.note = QStringLiteral("name=value pairs separated by '; ' (e.g. from an unpublished form version)");
    m_unmatchedColumn = int(cols.size());
    cols.append(unmatched);
}

void ResponseTable::addLongColumns()
{
    // The long layout keeps the metadata that identifies a response, then one answer per row.
    QList<ExportColumn> wide = m_table.columns;
    QList<ExportColumn> &c = m_table.columns;
    c = wide.mid(0, kEnd);    // uuid .. start_utc_offset_min
    c.append(wide[kStatus]);  // kLongStatus
    c.append(column(QStringLiteral("question"), ColumnKind::Text, QStringLiteral("Question name")));
    c.append(column(QStringLiteral("type"), ColumnKind::Text, QStringLiteral("Question type")));
    c.append(column(QStringLiteral("value"), ColumnKind::Text, QStringLiteral("Answer as stored")));
    c.append(column(QStringLiteral("value_label"), ColumnKind::Text,
                    QStringLiteral("Choice label(s) of the answer (default language)")));
    for (int i = kLongQuestion; i < kLongCount; ++i)
        c[i].questionType = QStringLiteral("long layout");
}

void ResponseTable::fillMeta(const StoredResponse &r, ExportRow *row)
{
    const ResponseMeta &m = r.meta;
    ExportRow &c = *row;
    c[kUuid].set(m.uuid);
    c[kCaseStudy].set(m.caseStudy);
    c[kFormIdCol].set(m.formId);
    c[kFormVersion].set(m.formVersion);
    c[kEnumerator].set(m.enumerator);
    c[kDevice].set(m.deviceId);
    if (m.started.isValid()) {
        const qint64 ms = m.started.toMSecsSinceEpoch();
        c[kStart].set(isoUtc(m.started), double(ms));
        if (m.startedUtcOffset) {
            const int offset = *m.startedUtcOffset;
            c[kStartLocal].set(isotime::withOffset(ms, offset), double(ms + qint64(offset) * 1000));
            c[kStartOffset].set(QByteArray::number(offset / 60), offset / 60);
        }
    }
    const int status = m_options.longLayout ? int(kLongStatus) : int(kStatus);
    c[status].set(responseStatusName(m.status), statusCode(m.status));
    if (m_options.longLayout)
        return;
    if (!m.language.isEmpty())
        c[kLanguage].set(m.language);
    c[kLanguageSwitched].set(r.languageSwitched ? QByteArrayLiteral("1") : QByteArrayLiteral("0"), r.languageSwitched);
    if (r.received.isValid()) { // one batch brings hundreds of responses: format its time once
        const qint64 ms = r.received.toMSecsSinceEpoch();
        if (ms != m_receivedMs || m_receivedText.isEmpty()) {
            m_receivedMs = ms;
            m_receivedText = isoUtc(r.received);
        }
        c[kReceived].set(m_receivedText, double(ms));
    }
    if (m.ended.isValid())
        c[kEnd].set(isoUtc(m.ended), double(m.ended.toMSecsSinceEpoch()));
    if (m.started.isValid() && m.ended.isValid()) {
        const qint64 s = m.started.msecsTo(m.ended) / 1000;
        c[kDuration].set(QByteArray::number(s), double(s));
    }
    double lat = m.location.latitude, lon = m.location.longitude, acc = m.location.accuracy;
    if (m.location.isValid()) {
        m_grid.apply(&lat, &lon, &acc);
        c[kLatitude].set(LocationGrid::formatCoordinate(lat), std::round(lat * 1e6) / 1e6);
        c[kLongitude].set(LocationGrid::formatCoordinate(lon), std::round(lon * 1e6) / 1e6);
        if (!std::isnan(acc))
            c[kAccuracy].set(shortest(acc), acc);
    }
    if (m_fieldwork)
        m_fieldwork->fill(r, row);
}

void ResponseTable::fillAnswer(const Slot &slot, const QString &value, ExportRow *row) const
{
    ExportCell &cell = (*row)[slot.column];
    const ExportColumn &col = m_table.columns[slot.column];
    switch (slot.type) {
    case QuestionType::Integer:
    case QuestionType::Decimal: {
        bool ok = false;
        const double d = value.toDouble(&ok);
        cell.set(value, ok && std::isfinite(d) ? d : std::nan(""));
        break;
    }
    case QuestionType::SelectOne:
    case QuestionType::Consent: {
        // A short list is searched in order (valueLabels and codes hold the same choices):
        // cheaper than hashing the value, once per answer and row.
        int code = 0;
        bool found = false;
        if (col.valueLabels.size() <= 16) {
            for (const ValueLabel &l : col.valueLabels) {
                if (l.value == value) {
                    code = l.code;
                    found = true;
                    break;
                }
            }
        } else if (const auto it = col.codes.constFind(value); it != col.codes.constEnd()) {
            code = *it;
            found = true;
        }
        if (!found)
            cell.set(value, std::nan("")); // not in any list: a first pass adds a code
        else if (!col.missingCodes.isEmpty() && col.missingCodes.contains(code))
            cell.missingChoice(value, code);
        else
            cell.set(value, code);
        break;
    }
    case QuestionType::SelectMultiple: {
        cell.set(value);
        for (auto it = slot.bin.constBegin(); it != slot.bin.constEnd(); ++it)
            (*row)[it.value()].set(QByteArrayLiteral("0"), 0);
        for (const QString &choice : value.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const int b = slot.bin.value(choice, -1);
            if (b >= 0)
                (*row)[b].set(QByteArrayLiteral("1"), 1);
        }
        break;
    }
    case QuestionType::Date: {
        const QDate d = QDate::fromString(value, Qt::ISODate);
        cell.set(value, d.isValid() ? double(QDate(1970, 1, 1).daysTo(d)) : std::nan(""));
        break;
    }
    case QuestionType::Time: {
        const QTime t = QTime::fromString(value, Qt::ISODateWithMs);
        cell.set(value, t.isValid() ? t.msecsSinceStartOfDay() / 1000.0 : std::nan(""));
        break;
    }
    case QuestionType::DateTime: {
        const QDateTime t = QDateTime::fromString(value, Qt::ISODateWithMs);
        cell.set(value, t.isValid() ? double(t.toMSecsSinceEpoch()) : std::nan(""));
        break;
    }
    case QuestionType::Geopoint: {
        // "lat lon alt acc": latitude and longitude coarsened with the interview's location.
        const QStringList parts = value.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        double v[4];
        bool ok = parts.size() >= 2 && parts.size() <= 4;
        for (int i = 0; i < 4; ++i) {
            bool partOk = true;
            v[i] = i < parts.size() ? parts[i].toDouble(&partOk) : std::nan("");
            ok &= partOk && !std::isinf(v[i]);
        }
        ExportCell *cells[] = {&cell, &(*row)[slot.also[0]], &(*row)[slot.also[1]], &(*row)[slot.also[2]]};
        if (!ok) { // not a geopoint: kept as text in the latitude column (a first pass notes it)
            cell.set(value);
            for (int i = 1; i < 4; ++i)
                cells[i]->missing(ExportCell::State::NotAnswered);
            break;
        }
        m_grid.apply(&v[0], &v[1], &v[3]);
        for (int i = 0; i < 4; ++i) {
            if (std::isnan(v[i]))
                cells[i]->missing(ExportCell::State::NotAnswered);
            else if (i < 2)
                cells[i]->set(LocationGrid::formatCoordinate(v[i]), std::round(v[i] * 1e6) / 1e6);
            else
                cells[i]->set(shortest(v[i]), v[i]);
        }
        break;
    }
    case QuestionType::Geotrace:
    case QuestionType::Geoshape: // ODK's text, "lat lon alt acc;...", every point coarsened as a geopoint
        cell.set(m_grid.applyToPoints(value));
        break;
    default:
        cell.set(value);
    }
}

const QList<bool> *ResponseTable::relevance(Version &v, const StoredResponse &r)
{
    QString key;
    if (v.readsRepeats) { // sum(${age}) and the like: every answer counts
        for (const TypedAnswer &a : r.answers)
            key += a.question + QChar(0x1e) + a.value + QChar(0x1f);
    }
    // Both lists are sorted by name (the collector keeps answers in name order): one merge.
    // Answers out of order (never written so, but not trusted) take the search per input.
    const QList<TypedAnswer> &given = r.answers;
    bool sorted = true;
    for (qsizetype i = 1; sorted && i < given.size(); ++i)
        sorted = given[i - 1].question < given[i].question;
    qsizetype j = 0;
    for (const QString &input : v.relevanceInputs) {
        if (sorted) {
            while (j < given.size() && given[j].question < input)
                ++j;
            if (j < given.size() && given[j].question == input)
                key += given[j].value;
        } else {
            for (const TypedAnswer &a : given) {
                if (a.question == input) {
                    key += a.value;
                    break;
                }
            }
        }
        key += QChar(0x1f);
    }
    auto it = v.cache.constFind(key);
    if (it != v.cache.constEnd())
        return &it.value();
    if (v.cache.size() >= kRelevanceCacheLimit)
        v.cache.clear();
    Interview interview(*v.form);
    QMap<QString, QString> answers;
    for (const TypedAnswer &a : r.answers)
        answers.insert(a.question, a.value);
    interview.load(answers);
    QList<bool> relevant(v.form->questions.size());
    for (int i = 0; i < relevant.size(); ++i)
        relevant[i] = interview.isRelevant(i);
    return &v.cache.insert(key, relevant).value();
}

void ResponseTable::rows(const StoredResponse &r, const std::function<void(const ExportRow &)> &onRow)
{
    if (!m_repeat.isEmpty()) {
        repeatRows(r, onRow);
        return;
    }
    if (m_options.longLayout) {
        longRows(r, onRow);
        return;
    }
    wide(r, &m_row);
    onRow(m_row);
}

void ResponseTable::wide(const StoredResponse &r, ExportRow *row)
{
    row->resize(m_table.columns.size());
    for (ExportCell &c : *row)
        c.clear();
    fillMeta(r, row);
    std::fill(m_answered.begin(), m_answered.end(), false);
    Version *version = m_versions.value(r.meta.formVersion).get();
    const Form *form = version ? version->form : nullptr;
    QByteArray unmatched;
    for (qsizetype i = 0; i < r.answers.size(); ++i) {
        const TypedAnswer &a = r.answers[i];
        const int s = slotOf(i, a.question);
        if (s == -2)
            continue; // sensitive, left out
        if (s < 0) {
            if (form && form->hasRepeats() && repeatpath::isRepeatKey(*form, a.question)
                && repeatpath::parseKey(*form, a.question).ok())
                continue; // in a repeat's table
            if (!unmatched.isEmpty())
                unmatched.append("; ");
            unmatched.append(a.question.toUtf8()).append('=').append(a.value.toUtf8());
            continue;
        }
        fillAnswer(m_slots[s], a.value, row);
        m_answered[s] = true;
    }
    if (!unmatched.isEmpty())
        (*row)[m_unmatchedColumn].set(unmatched);

    const QList<bool> *relevant = nullptr;
    markUnanswered(r, version, [&](int q) {
        if (!relevant)
            relevant = relevance(*version, r);
        return relevant->value(q, true);
    }, row);
}

// Why each question without an answer has none: refused interview, not in this form version,
// not relevant (by `relevant`), else not answered.
void ResponseTable::markUnanswered(const StoredResponse &r, const Version *version,
                                   const std::function<bool(int question)> &relevant, ExportRow *row)
{
    for (int s = 0; s < m_slots.size(); ++s) {
        if (m_answered[s])
            continue;
        ExportCell::State why = ExportCell::State::NotAnswered;
        if (r.meta.status == ResponseStatus::Refused) {
            why = ExportCell::State::Refused;
        } else if (version) {
            const int q = version->questionOfSlot[s];
            if (q < 0)
                why = ExportCell::State::NotRelevant; // not asked in this form version
            else if (!relevant(q))
                why = ExportCell::State::NotRelevant;
        }
        const Slot &slot = m_slots[s];
        (*row)[slot.column].missing(why);
        for (auto it = slot.bin.constBegin(); it != slot.bin.constEnd(); ++it)
            (*row)[it.value()].missing(why);
        for (int c : slot.also)
            (*row)[c].missing(why);
    }
}

void ResponseTable::repeatRows(const StoredResponse &r, const std::function<void(const ExportRow &)> &onRow)
{
    const Version *version = m_versions.value(r.meta.formVersion).get();
    if (!version)
        return; // a version no longer published: its answers are in the response's unmatched_answers
    const Form &form = *version->form;
    const int repeat = form.groupIndexOf(m_repeat);
    if (repeat < 0 || !form.groups[repeat].repeat)
        return;
    // The instances: from the repeat's counts, and from the answers inside it.
    std::map<QList<int>, QList<std::pair<int, const TypedAnswer *>>> instances; // instance -> (slot, answer)
    for (const TypedAnswer &a : r.answers) {
        if (!repeatpath::isRepeatKey(form, a.question))
            continue;
        const repeatpath::ParsedKey key = repeatpath::parseKey(form, a.question);
        if (!key.ok())
            continue;
        if (key.repeat == repeat) {
            const int n = std::clamp(a.value.toInt(), 0, kMaxRepeatInstances);
            QList<int> at = key.instance;
            at.append(0);
            for (int k = 1; k <= n; ++k) {
                at.last() = k;
                instances[at];
            }
        } else if (key.question >= 0 && form.questions[key.question].repeat == repeat) {
            instances[key.instance].append({m_slotOf.value(form.questions[key.question].name, -1), &a});
        }
    }
    if (instances.empty())
        return;
    std::unique_ptr<Interview> interview; // relevance per instance, when a question needs it
    for (const auto &instance : instances) {
        // Named, not a structured binding: clang 14 cannot capture those in the lambda below.
        const QList<int> &at = instance.first;
        const auto &answers = instance.second;
        ExportRow &row = m_row;
        row.resize(m_table.columns.size());
        for (ExportCell &c : row)
            c.clear();
        row[0].set(r.meta.uuid);
        int col = 1;
        if (at.size() > 1) {
            QStringList parent;
            for (qsizetype j = 0; j + 1 < at.size(); ++j)
                parent << QString::number(at[j]);
            row[col++].set(parent.join(QLatin1Char('.')));
        }
        row[col].set(QByteArray::number(at.last()), at.last());
        std::fill(m_answered.begin(), m_answered.end(), false);
        for (const auto &[slot, a] : answers) {
            if (slot < 0)
                continue; // sensitive, left out
            fillAnswer(m_slots[slot], a->value, &row);
            m_answered[slot] = true;
        }
        markUnanswered(r, version, [&](int q) {
            if (!interview) {
                interview = std::make_unique<Interview>(form);
                QMap<QString, QString> all;
                for (const TypedAnswer &a : r.answers)
                    all.insert(a.question, a.value);
                interview->load(all);
            }
            return interview->isRelevant(repeatpath::answerKey(form, q, at));
        }, &row);
        onRow(row);
    }
}

int ResponseTable::slotOf(qsizetype position, const QString &question)
{
    if (position >= m_seen.size())
        m_seen.resize(position + 1);
    SeenName &seen = m_seen[position];
    if (seen.name.constData() == question.constData() && seen.name.size() == question.size() && !question.isNull())
        return seen.slot;
    seen.name = question;
    seen.slot = m_slotOf.value(question, -1);
    return seen.slot;
}

void ResponseTable::longRows(const StoredResponse &r, const std::function<void(const ExportRow &)> &onRow)
{
    m_row.resize(m_table.columns.size());
    for (ExportCell &c : m_row)
        c.clear();
    fillMeta(r, &m_row);
    // Answers in column order, then the unmatched ones in name order.
    QList<QPair<int, const TypedAnswer *>> ordered;
    for (const TypedAnswer &a : r.answers) {
        const int s = m_slotOf.value(a.question, -1);
        if (s == -2)
            continue;
        ordered.append({s < 0 ? INT_MAX : s, &a});
    }
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto &x, const auto &y) { return x.first < y.first; });
    for (const auto &[s, a] : ordered) {
        m_row[kLongQuestion].set(a->question);
        if (s == INT_MAX) {
            // An answer inside a repeat (person[2]/age) has its question's type; a count says so.
            const Version *version = m_versions.value(r.meta.formVersion).get();
            const repeatpath::ParsedKey key = version && version->form->hasRepeats()
                ? repeatpath::parseKey(*version->form, a->question) : repeatpath::ParsedKey{};
            if (key.ok() && key.question >= 0)
                m_row[kLongType].set(questionTypeName(version->form->questions[key.question].type));
            else if (key.ok() && key.repeat >= 0)
                m_row[kLongType].set(QByteArrayLiteral("repeat count"));
            else
                m_row[kLongType].set(QByteArrayLiteral("unknown"));
            m_row[kLongValue].set(a->value);
            m_row[kLongValueLabel].clear();
        } else {
            const Slot &slot = m_slots[s];
            m_row[kLongType].set(questionTypeName(slot.type));
            const QString value = slot.type == QuestionType::Geopoint ? m_grid.applyToGeopoint(a->value)
                : slot.type == QuestionType::Geotrace || slot.type == QuestionType::Geoshape
                ? m_grid.applyToPoints(a->value)
                : a->value;
            m_row[kLongValue].set(value);
            if (!slot.choiceLabels.isEmpty()) {
                QStringList labels;
                for (const QString &c : value.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                    labels.append(slot.choiceLabels.value(c, c));
                m_row[kLongValueLabel].set(labels.join(QStringLiteral("; ")));
            } else {
                m_row[kLongValueLabel].clear();
            }
        }
        onRow(m_row);
    }
}

} // namespace kerbside
