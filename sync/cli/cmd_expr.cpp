// SPDX-License-Identifier: Apache-2.0
// `kerbside expr 'EXPR' [--values JSON] [--labels JSON] [--now DATETIME]`: evaluates one XLSForm
// expression, prints the result and its type. Exit 0, or 2 on a syntax or usage error.
#include "command.h"

#include "expr/evalcontext.h"
#include "expr/expression.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace kerbside::cli {

namespace {

/** The EvalContext of the command: answers from --values, labels from --labels. */
class JsonContext : public EvalContext
{
public:
    Value fieldValue(const QString &name) const override { return m_values.value(name); }
    Value currentValue() const override { return m_current; }
    QString choiceLabel(const QString &field, const QString &choiceName) const override
    {
        return m_labels.value(field).value(choiceName);
    }
    QDateTime now() const override { return m_now.isValid() ? m_now : QDateTime::currentDateTime(); }

    QHash<QString, Value> m_values;
    Value m_current;
    QHash<QString, QHash<QString, QString>> m_labels;
    QDateTime m_now;
};

int usageError(const QString &message)
{
    err(QStringLiteral("error: %1").arg(message));
    err(QStringLiteral("usage: kerbside expr 'EXPR' [--values JSON] [--labels JSON] [--now DATETIME]"));
    return 2;
}

std::optional<QJsonObject> parseObject(const QString &option, const QString &text, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("%1 is not valid JSON: %2 at offset %3")
                     .arg(option, parseError.errorString())
                     .arg(parseError.offset);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("%1 must be a JSON object such as {\"age\": \"34\"}").arg(option);
        return std::nullopt;
    }
    return doc.object();
}

// Answers are stored as text: numbers become their shortest text, a list of choices becomes
// the space-separated select_multiple answer, null is unanswered.
std::optional<Value> answerFromJson(const QString &key, const QJsonValue &v, QString *error)
{
    switch (v.type()) {
    case QJsonValue::String:
        return Value::string(v.toString());
    case QJsonValue::Double:
        return Value::string(Value::formatNumber(v.toDouble()));
    case QJsonValue::Null:
        return Value();
    case QJsonValue::Array: {
        QStringList items;
        for (const QJsonValue &item : v.toArray()) {
            if (!item.isString()) {
                *error = QStringLiteral("--values: the list for '%1' must hold only strings").arg(key);
                return std::nullopt;
            }
            items.append(item.toString());
        }
        return Value::string(items.join(u' '));
    }
    default:
        *error = QStringLiteral("--values: the value of '%1' must be a string, a number, a list "
                                "of strings or null")
                     .arg(key);
        return std::nullopt;
    }
}

int run(const QStringList &args)
{
    QString expressionText;
    bool haveExpression = false;
    QString valuesJson;
    QString labelsJson;
    QString nowText;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        QString *target = nullptr;
        if (a == QLatin1String("--values"))
            target = &valuesJson;
        else if (a == QLatin1String("--labels"))
            target = &labelsJson;
        else if (a == QLatin1String("--now"))
            target = &nowText;
        if (target) {
            if (i + 1 >= args.size())
                return usageError(QStringLiteral("%1 needs a value").arg(a));
            *target = args.at(++i);
            continue;
        }
        if (a.startsWith(QLatin1String("--")))
            return usageError(QStringLiteral("unknown option '%1'").arg(a));
        if (haveExpression)
            return usageError(QStringLiteral("one expression only (quote it): unexpected '%1'").arg(a));
        expressionText = a;
        haveExpression = true;
    }
    if (!haveExpression)
        return usageError(QStringLiteral("no expression given"));

    JsonContext context;
    QString error;
    if (!valuesJson.isEmpty()) {
        const auto object = parseObject(QStringLiteral("--values"), valuesJson, &error);
        if (!object)
            return usageError(error);
        for (auto it = object->begin(); it != object->end(); ++it) {
            QString key = it.key().trimmed();
            if (key.startsWith(QLatin1String("${")) && key.endsWith(u'}'))
                key = key.mid(2, key.size() - 3).trimmed();
            const auto value = answerFromJson(key, it.value(), &error);
            if (!value)
                return usageError(error);
            if (key == QLatin1String("."))
                context.m_current = *value;
            else
                context.m_values.insert(key, *value);
        }
    }
    if (!labelsJson.isEmpty()) {
        const auto object = parseObject(QStringLiteral("--labels"), labelsJson, &error);
        if (!object)
            return usageError(error);
        for (auto it = object->begin(); it != object->end(); ++it) {
            if (!it.value().isObject())
                return usageError(QStringLiteral("--labels: '%1' must map choice names to labels, "
                                                 "e.g. {\"%1\": {\"yes\": \"Yes\"}}")
                                      .arg(it.key()));
            const QJsonObject choices = it.value().toObject();
            auto &labels = context.m_labels[it.key()];
            for (auto c = choices.begin(); c != choices.end(); ++c)
                labels.insert(c.key(), c.value().toString());
        }
    }
    if (!nowText.isEmpty()) {
        context.m_now = QDateTime::fromString(nowText, Qt::ISODateWithMs);
        if (!context.m_now.isValid())
            return usageError(QStringLiteral("--now must be an ISO date-time such as "
                                             "2026-11-24T10:30:00, not '%1'")
                                  .arg(nowText));
    }

    const Expression expression = Expression::parse(expressionText);
    if (!expression.isValid()) {
        err(QStringLiteral("error: column %1: %2").arg(expression.errorColumn()).arg(expression.errorMessage()));
        err(QStringLiteral("  ") + expressionText);
        err(QStringLiteral("  ") + QString(expression.errorColumn() - 1, u' ') + u'^');
        return 2;
    }
    const Value result = expression.evaluate(context);
    out(result.toString());
    out(QString::fromLatin1(Value::typeName(result.type())));
    return 0;
}

const CommandRegistration reg{{QStringLiteral("expr"),
                               QStringLiteral("evaluate an XLSForm expression against --values JSON"),
                               &run,
                               QStringLiteral("usage: kerbside expr 'EXPR' [--values JSON] [--labels JSON] [--now DATETIME]\n"
                                              "  Evaluates an XLSForm expression and prints the result and its type.")}};

} // namespace

} // namespace kerbside::cli
