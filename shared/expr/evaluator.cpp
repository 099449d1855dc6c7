// SPDX-License-Identifier: Apache-2.0
#include "evaluator.h"

#include "dates.h"
#include "geo.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStringList>
#include <QStringView>
#include <QUuid>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <cmath>
#include <limits>
#include <numbers>

namespace kerbside::expr {

namespace {

using Type = Value::Type;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A number for arithmetic and <, <=, >, >=: XPath number(), except that a date-looking string
// counts as a date (javarosa compares typed date answers; ours may arrive as text).
double numeric(const Value &v)
{
    const double d = v.toNumber();
    if (v.type() == Type::String && std::isnan(d) && v.rawString().size() >= 10) {
        bool hasTime = false;
        if (const auto days = Dates::parseIso(v.rawString(), &hasTime))
            return Value::date(*days, hasTime).toNumber();
    }
    return d;
}

bool equals(const Value &a, const Value &b)
{
    // javarosa XPathEqExpr: boolean if either is boolean, number if either is a number,
    // otherwise strings. Dates compare as day counts with a date-looking string.
    if (a.type() == Type::Boolean || b.type() == Type::Boolean)
        return a.toBoolean() == b.toBoolean();
    if (a.type() == Type::Date || b.type() == Type::Date) {
        const double x = numeric(a);
        const double y = numeric(b);
        if (!std::isnan(x) && !std::isnan(y))
            return x == y;
        return a.toString() == b.toString();
    }
    if (a.type() == Type::Number || b.type() == Type::Number)
        return std::fabs(a.toNumber() - b.toNumber()) < 1e-12; // false for NaN
    return a.rawString() == b.rawString();
}

// The i-th space-separated item of a select_multiple answer, without allocating.
template<typename F>
void forEachItem(QStringView s, F &&f)
{
    const qsizetype n = s.size();
    qsizetype i = 0;
    while (i < n) {
        while (i < n && s[i].isSpace())
            ++i;
        const qsizetype start = i;
        while (i < n && !s[i].isSpace())
            ++i;
        if (i > start && !f(s.mid(start, i - start)))
            return;
    }
}

// round(x[, places]) as javarosa does it: ties go up (2.5 → 3, -2.5 → -2, as XPath's round),
// and the shortest decimal text is rounded, so round(2.675, 2) is 2.68 although 2.675 is
// stored as 2.67499...
double roundTo(double x, int places)
{
    if (!std::isfinite(x))
        return x;
    if (places > 30 || places < -30)
        return kNaN;
    if (places < 0) {
        const double scale = std::pow(10.0, -places);
        return std::floor(x / scale + 0.5) * scale;
    }
    char buf[400];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::fabs(x), std::chars_format::fixed);
    if (ec != std::errc())
        return x;
    char *dot = std::find(buf, end, '.');
    if (dot == end || end - dot - 1 <= places)
        return x; // already has no more than `places` decimals
    char *cut = dot + 1 + places; // first dropped digit
    // Magnitude goes up on a tie only for positive x (a tie of a negative goes toward zero).
    bool up = *cut > '5' || (*cut == '5' && x > 0);
    if (*cut == '5' && x < 0)
        up = std::any_of(cut + 1, end, [](char c) { return c != '0'; });
    char *last = places == 0 ? dot : cut;
    if (up) {
        // Increment the kept digits, carrying leftwards.
        char *p = last - 1;
        for (;; --p) {
            if (*p == '.')
                continue;
            if (*p == '9') {
                *p = '0';
                if (p == buf) {
                    std::memmove(buf + 1, buf, size_t(last - buf));
                    buf[0] = '1';
                    ++last;
                    break;
                }
                continue;
            }
            ++*p;
            break;
        }
    }
    double r = 0;
    std::from_chars(buf, last, r);
    return x < 0 ? -r : r;
}

// decimal-time("18:00:00.000Z"): the fraction of the day, in the device's time zone (javarosa);
// a time without an offset is already local. NaN when it is not a time.
double decimalTime(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d+))?)?(Z|[+-]\\d{2}:?\\d{2})?$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch())
        return kNaN;
    const int h = m.captured(1).toInt();
    const int min = m.captured(2).toInt();
    const int s = m.captured(3).toInt();
    if (h > 23 || min > 59 || s > 59)
        return kNaN;
    double seconds = h * 3600 + min * 60 + s + ("0." + m.captured(4)).toDouble();
    if (const QString zone = m.captured(5); !zone.isEmpty()) {
        int offset = 0;
        if (zone != u"Z") {
            const QString digits = zone.mid(1).remove(QLatin1Char(':'));
            offset = (digits.left(2).toInt() * 3600 + digits.mid(2).toInt() * 60) * (zone[0] == u'-' ? -1 : 1);
        }
        seconds += QDateTime::currentDateTime().offsetFromUtc() - offset;
    }
    seconds = std::fmod(seconds + 86400.0 * 2, 86400.0);
    return seconds / 86400.0;
}

// uuid(n): n random letters and digits (javarosa's "cryptographically secure" string).
QString randomText(double length)
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const int n = std::isfinite(length) ? int(std::clamp(length, 0.0, 4096.0)) : 0;
    QString out;
    out.reserve(n);
    for (int i = 0; i < n; ++i)
        out += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(62)]);
    return out;
}

double truncateToInt(double d)
{
    return std::isfinite(d) ? std::trunc(d) : d;
}

// date() and date-time(): javarosa toDate. '' and NaN pass through; bad text gives ''.
Value toDateValue(const Value &v, bool keepTime)
{
    switch (v.type()) {
    case Type::Date:
        if (keepTime || !v.hasTime())
            return v;
        return Value::date(Dates::fromDate(Dates::toDateTime(v.rawNumber()).date()));
    case Type::Number: {
        const double d = v.rawNumber();
        if (!std::isfinite(d))
            return v;
        return keepTime ? Value::date(d, true) : Value::date(std::trunc(d));
    }
    case Type::String: {
        bool hasTime = false;
        const auto days = Dates::parseIso(v.rawString(), &hasTime);
        if (!days)
            return {};
        return toDateValue(Value::date(*days, hasTime), keepTime);
    }
    case Type::Boolean:
        break;
    }
    return {};
}

} // namespace

Value Evaluator::eval(int index) const
{
    const Node &node = m_program.nodes[size_t(index)];
    switch (node.op) {
    case Op::Literal:
        return m_program.constants[size_t(node.a)];
    case Op::Field:
        return m_context.fieldValue(m_program.names[size_t(node.a)]);
    case Op::Current:
        return m_context.currentValue();
    case Op::Parent:
        return {};
    case Op::ChoiceColumn:
        return m_context.choiceColumn(m_program.names[size_t(node.a)]);
    case Op::Neg:
        return Value::number(-numeric(eval(node.a)));
    case Op::Or:
        return Value::boolean(eval(node.a).toBoolean() || eval(node.b).toBoolean());
    case Op::And:
        return Value::boolean(eval(node.a).toBoolean() && eval(node.b).toBoolean());
    case Op::Eq:
        return Value::boolean(equals(eval(node.a), eval(node.b)));
    case Op::Ne:
        return Value::boolean(!equals(eval(node.a), eval(node.b)));
    case Op::Lt:
        return Value::boolean(numeric(eval(node.a)) < numeric(eval(node.b)));
    case Op::Le:
        return Value::boolean(numeric(eval(node.a)) <= numeric(eval(node.b)));
    case Op::Gt:
        return Value::boolean(numeric(eval(node.a)) > numeric(eval(node.b)));
    case Op::Ge:
        return Value::boolean(numeric(eval(node.a)) >= numeric(eval(node.b)));
    case Op::Add:
        return Value::number(numeric(eval(node.a)) + numeric(eval(node.b)));
    case Op::Sub:
        return Value::number(numeric(eval(node.a)) - numeric(eval(node.b)));
    case Op::Mul:
        return Value::number(numeric(eval(node.a)) * numeric(eval(node.b)));
    case Op::Div:
        return Value::number(numeric(eval(node.a)) / numeric(eval(node.b)));
    case Op::Mod:
        // Java's % (sign of the dividend), which is fmod.
        return Value::number(std::fmod(numeric(eval(node.a)), numeric(eval(node.b))));
    case Op::Call:
        return call(node);
    }
    return {};
}

QList<Value> Evaluator::values(const Node &call, int i) const
{
    const Node &n = m_program.nodes[size_t(arg(call, i))];
    if (n.op == Op::Field)
        return m_context.fieldValues(m_program.names[size_t(n.a)]);
    return {eval(arg(call, i))};
}

QString Evaluator::fieldName(const Node &call, int i) const
{
    const Node &n = m_program.nodes[size_t(arg(call, i))];
    return n.op == Op::Field ? m_program.names[size_t(n.a)] : QString();
}

Value Evaluator::call(const Node &node) const
{
    auto value = [&](int i) { return eval(arg(node, i)); };
    auto text = [&](int i) { return eval(arg(node, i)).toString(); };
    auto num = [&](int i) { return eval(arg(node, i)).toNumber(); };

    switch (node.fn) {
    case Fn::None:
        break;
    case Fn::Not:
        return Value::boolean(!value(0).toBoolean());
    case Fn::True:
        return Value::boolean(true);
    case Fn::False:
        return Value::boolean(false);
    case Fn::Selected: {
        const QString answer = text(0);
        const QString wanted = text(1);
        const QStringView item = QStringView(wanted).trimmed();
        bool found = false;
        forEachItem(answer, [&](QStringView s) {
            found = s == item;
            return !found;
        });
        return Value::boolean(found);
    }
    case Fn::CountSelected: {
        int count = 0;
        forEachItem(text(0), [&](QStringView) {
            ++count;
            return true;
        });
        return Value::number(count);
    }
    case Fn::SelectedAt: {
        const QString answer = text(0);
        const double wanted = truncateToInt(num(1));
        QStringView found;
        double i = 0;
        forEachItem(answer, [&](QStringView s) {
            if (i++ == wanted) {
                found = s;
                return false;
            }
            return true;
        });
        return Value::string(found.toString());
    }
    case Fn::ChoiceName: {
        const QString choice = text(0);
        QString field = text(1).trimmed(); // a literal was resolved by the parser
        if (field.startsWith(QLatin1String("${")) && field.endsWith(u'}'))
            field = field.mid(2, field.size() - 3).trimmed();
        return Value::string(m_context.choiceLabel(field, choice));
    }
    case Fn::StringLength:
        return Value::number(double(text(0).size()));
    case Fn::Contains:
        return Value::boolean(text(0).contains(text(1)));
    case Fn::StartsWith:
        return Value::boolean(text(0).startsWith(text(1)));
    case Fn::EndsWith:
        return Value::boolean(text(0).endsWith(text(1)));
    case Fn::Concat: {
        QString out;
        for (int i = 0; i < node.b; ++i)
            out += text(i);
        return Value::string(out);
    }
    case Fn::Substr: {
        // javarosa substr(s, start[, end]): 0-based, end exclusive, negatives count from the end.
        const QString s = text(0);
        const qsizetype len = s.size();
        const double startD = truncateToInt(num(1));
        const double endD = node.b == 3 ? truncateToInt(num(2)) : double(len);
        if (std::isnan(startD) || std::isnan(endD))
            return {};
        auto clampIndex = [len](double d) {
            if (d < 0)
                d += double(len);
            return qsizetype(std::clamp(d, 0.0, double(len)));
        };
        const qsizetype start = clampIndex(startD);
        const qsizetype end = clampIndex(endD);
        return start <= end ? Value::string(s.mid(start, end - start)) : Value{};
    }
    case Fn::Substring: {
        // XPath 1.0 substring(s, start[, length]): 1-based, positions rounded.
        const QString s = text(0);
        const double start = std::floor(num(1) + 0.5);
        const double last = node.b == 3 ? start + std::floor(num(2) + 0.5)
                                        : std::numeric_limits<double>::infinity();
        if (std::isnan(start) || std::isnan(last))
            return {};
        QString out;
        for (qsizetype i = 0; i < s.size(); ++i) {
            const double pos = double(i + 1);
            if (pos >= start && pos < last)
                out += s.at(i);
        }
        return Value::string(out);
    }
    case Fn::Regex: {
        // ODK Collect: the pattern must match the whole string.
        const QString s = text(0);
        if (node.extra >= 0)
            return Value::boolean(m_program.regexes[size_t(node.extra)].match(s).hasMatch());
        const QRegularExpression re(QRegularExpression::anchoredPattern(text(1)));
        return Value::boolean(re.isValid() && re.match(s).hasMatch());
    }
    case Fn::If:
        return value(0).toBoolean() ? value(1) : value(2);
    case Fn::Coalesce: {
        Value first = value(0);
        const bool isNull = first.isEmptyString()
            || (first.type() == Type::Number && std::isnan(first.rawNumber()));
        return isNull ? value(1) : first;
    }
    case Fn::Once: {
        Value current = m_context.currentValue();
        return current.toString().isEmpty() ? value(0) : current;
    }
    case Fn::Today:
        return Value::date(Dates::fromDate(m_context.now().date()));
    case Fn::Now:
        return Value::date(Dates::fromDateTime(m_context.now()), true);
    case Fn::Int:
        return Value::number(truncateToInt(num(0)));
    case Fn::Round:
    {
        const double x = num(0);
        const double places = node.b == 2 ? truncateToInt(num(1)) : 0;
        // javarosa's Double.intValue(): NaN is 0; out-of-range counts give NaN in roundTo.
        return Value::number(roundTo(x, std::isnan(places) ? 0 : int(std::clamp(places, -99.0, 99.0))));
    }
    case Fn::Number:
        return Value::number(num(0));
    case Fn::String:
        return Value::string(text(0));
    case Fn::Boolean:
        return Value::boolean(value(0).toBoolean());
    case Fn::BooleanFromString: {
        const QString s = text(0);
        return Value::boolean(s.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0
                              || s == QLatin1String("1"));
    }
    case Fn::Date:
        return toDateValue(value(0), false);
    case Fn::DateTime:
        return toDateValue(value(0), true);
    case Fn::FormatDate:
    case Fn::FormatDateTime: {
        const Value d = toDateValue(value(0), true);
        if (d.type() != Type::Date)
            return {};
        return Value::string(Dates::format(d.rawNumber(), d.hasTime(), text(1)));
    }
    case Fn::DecimalDateTime: {
        const Value v = value(0);
        if (v.type() == Type::Number)
            return v;
        const Value d = toDateValue(v, true);
        return d.type() == Type::Date ? Value::number(d.rawNumber()) : Value::number(kNaN);
    }
    case Fn::Min:
    case Fn::Max: {
        // javarosa ignores NaN arguments (e.g. unanswered fields); NaN only if all are.
        double best = kNaN;
        for (int i = 0; i < node.b; ++i) {
            for (const Value &v : values(node, i)) {
                const double d = numeric(v);
                if (std::isnan(d))
                    continue;
                if (std::isnan(best) || (node.fn == Fn::Min ? d < best : d > best))
                    best = d;
            }
        }
        return Value::number(best);
    }
    case Fn::NormalizeSpace:
        return Value::string(text(0).simplified());
    case Fn::SubstringBefore: {
        const QString s = text(0);
        const qsizetype pos = s.indexOf(text(1));
        return pos >= 0 ? Value::string(s.left(pos)) : Value{};
    }
    case Fn::SubstringAfter: {
        const QString s = text(0);
        const QString sep = text(1);
        const qsizetype pos = s.indexOf(sep);
        return pos >= 0 ? Value::string(s.mid(pos + sep.size())) : Value{};
    }
    case Fn::Translate: {
        const QString s = text(0);
        const QString from = text(1);
        const QString to = text(2);
        QString out;
        out.reserve(s.size());
        for (QChar c : s) {
            const qsizetype i = from.indexOf(c);
            if (i < 0)
                out += c;
            else if (i < to.size())
                out += to.at(i);
        }
        return Value::string(out);
    }
    case Fn::Abs:
        return Value::number(std::fabs(num(0)));
    case Fn::Pow:
        return Value::number(std::pow(num(0), num(1)));
    case Fn::Sqrt:
        return Value::number(std::sqrt(num(0)));
    case Fn::Floor:
        return Value::number(std::floor(num(0)));
    case Fn::Ceiling:
        return Value::number(std::ceil(num(0)));
    case Fn::Pi:
        return Value::number(std::numbers::pi);
    case Fn::Sin:
        return Value::number(std::sin(num(0)));
    case Fn::Cos:
        return Value::number(std::cos(num(0)));
    case Fn::Tan:
        return Value::number(std::tan(num(0)));
    case Fn::Asin:
        return Value::number(std::asin(num(0)));
    case Fn::Acos:
        return Value::number(std::acos(num(0)));
    case Fn::Atan:
        return Value::number(std::atan(num(0)));
    case Fn::Atan2:
        return Value::number(std::atan2(num(0), num(1)));
    case Fn::Log:
        return Value::number(std::log(num(0)));
    case Fn::Log10:
        return Value::number(std::log10(num(0)));
    case Fn::Exp:
        return Value::number(std::exp(num(0)));
    case Fn::Exp10:
        return Value::number(std::pow(10.0, num(0)));
    case Fn::DecimalTime:
        return Value::number(decimalTime(text(0)));
    case Fn::Uuid:
        return Value::string(node.b == 0 ? QUuid::createUuid().toString(QUuid::WithoutBraces)
                                         : randomText(num(0)));
    case Fn::Random:
        return Value::number(QRandomGenerator::global()->generateDouble());
    case Fn::Join: {
        QStringList parts;
        for (int i = 1; i < node.b; ++i) {
            for (const Value &v : values(node, i))
                parts << v.toString();
        }
        return Value::string(parts.join(text(0)));
    }
    case Fn::Count:
        return Value::number(double(values(node, 0).size()));
    case Fn::Sum: {
        // As ODK Collect (javarosa) sums: values that are not numbers (unanswered ones too)
        // are skipped, so no instances, or none answered, sum to 0. (XPath 1.0 would give NaN;
        // getodk/javarosa#822 and getodk/web-forms#878 discuss the difference.)
        double total = 0;
        for (const Value &v : values(node, 0)) {
            const double d = numeric(v);
            if (!std::isnan(d))
                total += d;
        }
        return Value::number(total);
    }
    case Fn::Position:
        return Value::number(m_context.position());
    case Fn::IndexedRepeat: {
        QList<std::pair<QString, int>> instances;
        for (int i = 1; i + 1 < node.b; i += 2) {
            const double n = num(i + 1);
            if (!std::isfinite(n) || n < 1 || n > 1e6)
                return {};
            instances.append({fieldName(node, i), int(n)});
        }
        return m_context.indexedValue(fieldName(node, 0), instances);
    }
    case Fn::Area: {
        const auto points = Geo::parse(text(0));
        return Value::number(points ? Geo::area(*points) : 0); // javarosa: 0 for bad input
    }
    case Fn::Distance: {
        // distance(trace) or distance(point, point, ...), as Collect accepts both.
        std::vector<Geo::Point> all;
        for (int i = 0; i < node.b; ++i) {
            const auto points = Geo::parse(text(i));
            if (!points)
                return Value::number(kNaN);
            all.insert(all.end(), points->begin(), points->end());
        }
        return Value::number(Geo::distance(all));
    }
    case Fn::Geofence: {
        const auto point = Geo::parse(text(0));
        const auto shape = Geo::parse(text(1));
        if (!point || !shape || point->size() != 1)
            return Value::boolean(false);
        return Value::boolean(Geo::inside(point->front(), *shape));
    }
    }
    return {};
}

} // namespace kerbside::expr
