// SPDX-License-Identifier: Apache-2.0
#include "test_syncclient_harness.h"

#include "form/formloader.h"
#include "syncsamples.h"
#include "testpaths.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QThread>

#include <signal.h>

#include <stdexcept>

namespace kerbside::test {

namespace {

QString kerbsideBinary()
{
    return binaryPath(QStringLiteral("bin/kerbside"));
}

[[noreturn]] void fail(const QString &what)
{
    throw std::runtime_error(what.toStdString());
}

} // namespace

QString scratchTemplate()
{
    const QFileInfo shm(QStringLiteral("/dev/shm"));
    if (shm.isDir() && shm.isWritable())
        return QStringLiteral("/dev/shm/kerbside-test-XXXXXX");
    return QDir::temp().filePath(QStringLiteral("kerbside-test-XXXXXX"));
}

QString runKerbside(const QStringList &args, int *exitCode, QString *stdErr)
{
    QProcess p;
    p.start(kerbsideBinary(), args);
    if (!p.waitForFinished(60'000)) {
        p.kill();
        p.waitForFinished();
    }
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    if (stdErr)
        *stdErr = QString::fromUtf8(p.readAllStandardError());
    return QString::fromUtf8(p.readAllStandardOutput());
}

// Collector -----------------------------------------------------------------------------------

Collector::Collector(const QString &dir) : m_dir(dir), m_db(QDir(dir).filePath(QStringLiteral("collector.db"))) {}

Collector::~Collector()
{
    stop();
}

bool Collector::start()
{
    m_log.clear(); // a restart listens on a new port
    m_process = std::make_unique<QProcess>();
    // The request log goes to a file: an unread pipe would fill and stall the server.
    m_process->setStandardErrorFile(QDir(m_dir).filePath(QStringLiteral("serve.log")), QIODevice::Append);
    QStringList args{kerbsideBinary(), QStringLiteral("serve"), QStringLiteral("--db"), m_db,
                     QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
    // For profiling, e.g. KERBSIDE_SERVE_WRAPPER="valgrind --tool=callgrind"
    const QString wrapper = qEnvironmentVariable("KERBSIDE_SERVE_WRAPPER");
    if (!wrapper.isEmpty())
        args = wrapper.split(QLatin1Char(' '), Qt::SkipEmptyParts) + args;
    m_process->start(args.first(), args.mid(1));
    if (!m_process->waitForStarted(10'000))
        return false;
    const int startSeconds = wrapper.isEmpty() ? 20 : 120;
    // The server says where it listens on its first lines.
    static const QRegularExpression re(QStringLiteral("https?://127\\.0\\.0\\.1:(\\d+)"));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < startSeconds * 1000) {
        m_process->waitForReadyRead(200);
        m_log += QString::fromUtf8(m_process->readAllStandardOutput());
        const QRegularExpressionMatch m = re.match(m_log);
        if (m.hasMatch()) {
            m_port = quint16(m.captured(1).toUInt());
            return true;
        }
        if (m_process->state() == QProcess::NotRunning)
            return false;
    }
    return false;
}

void Collector::kill()
{
    if (!m_process)
        return;
    ::kill(pid_t(m_process->processId()), SIGKILL);
    m_process->waitForFinished(10'000);
    m_process.reset();
}

void Collector::stop()
{
    if (!m_process)
        return;
    m_process->terminate();
    if (!m_process->waitForFinished(10'000)) {
        m_process->kill();
        m_process->waitForFinished();
    }
    m_process.reset();
}

void Collector::addCaseStudy(const QString &id, const QString &name)
{
    int code = 0;
    QString err;
    const QString out = runKerbside({QStringLiteral("casestudy"), QStringLiteral("add"), id, QStringLiteral("--name"), name,
                                     QStringLiteral("--db"), m_db}, &code, &err);
    if (code != 0)
        fail(QStringLiteral("kerbside case-study add %1 failed: %2 %3").arg(id, out, err));
}

void Collector::publish(const QString &formFile, const QStringList &caseStudies)
{
    QStringList args{QStringLiteral("publish"), QStringLiteral("--db"), m_db};
    for (const QString &c : caseStudies)
        args << QStringLiteral("--case-study") << c;
    args << formFile;
    int code = 0;
    QString err;
    const QString out = runKerbside(args, &code, &err);
    if (code != 0)
        fail(QStringLiteral("kerbside publish %1 failed: %2 %3").arg(formFile, out, err));
}

QString Collector::enrolmentCode(const QString &caseStudy)
{
    int code = 0;
    QString err;
    const QString out = runKerbside({QStringLiteral("enrol"), QStringLiteral("--db"), m_db,
                                     QStringLiteral("--case-study"), caseStudy}, &code, &err);
    static const QRegularExpression re(QStringLiteral("\\b([A-Z0-9]{5}-[A-Z0-9]{5})\\b"));
    const QRegularExpressionMatch m = re.match(out);
    if (code != 0 || !m.hasMatch())
        fail(QStringLiteral("kerbside enrol failed: %1 %2").arg(out, err));
    return m.captured(1);
}

QString Collector::importFile(const QString &batchFile, int *exitCode)
{
    QStringList args{QStringLiteral("import"), QStringLiteral("--db"), m_db};
    args << batchFile;
    QString err;
    const QString out = runKerbside(args, exitCode, &err);
    return out + err;
}

QString Collector::serverLog() const
{
    QFile f(QDir(m_dir).filePath(QStringLiteral("serve.log")));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QString Collector::conflicts()
{
    return runKerbside({QStringLiteral("conflicts"), QStringLiteral("--db"), m_db});
}

// Device ----------------------------------------------------------------------------------------

Device::Device(const QString &dir, const QString &name, SyncOptions options)
{
    QDir(dir).mkpath(name);
    const QDir home(QDir(dir).filePath(name));
    m_storePath = home.filePath(QStringLiteral("device.db"));
    m_formsDir = home.filePath(QStringLiteral("forms"));
    home.mkpath(QStringLiteral("forms"));
    // The tablet ships with the form installed by hand (not by sync).
    QFile::copy(voxpopPath(), QDir(m_formsDir).filePath(QStringLiteral("community-contracts-voxpop.json")));
    m_store = DeviceStore::open(m_storePath);
    options.formsDir = m_formsDir;
    options.deviceLabel = name;
    m_engine = std::make_unique<SyncEngine>(m_storePath, options);
}

QStringList Device::addInterviews(int count, const QString &caseStudy, quint32 seed, bool paradata)
{
    QRandomGenerator random(seed);
    const Form &form = voxpopForm();
    QStringList uuids;
    const QString deviceId = m_store->setting(QStringLiteral("device_id"));
    for (int i = 0; i < count; ++i) {
        NewResponse r;
        r.formId = form.id;
        r.formVersion = form.version;
        r.caseStudy = caseStudy;
        r.enumerator = QStringLiteral("enumerator-%1").arg(seed % 7);
        r.deviceId = deviceId;
        r.language = QStringLiteral("en");
        const QString uuid = m_store->createResponse(r);
        const QMap<QString, QString> answers = voxpopAnswers(random);
        for (auto it = answers.cbegin(); it != answers.cend(); ++it)
            m_store->setAnswer(uuid, it.key(), it.value());
        Location where;
        where.latitude = 51.45 + random.bounded(1000) / 10000.0;
        where.longitude = -2.59 + random.bounded(1000) / 10000.0;
        where.accuracy = 4.0 + random.bounded(20);
        where.time = QDateTime::currentDateTimeUtc();
        m_store->setLocation(uuid, where);
        if (paradata) {
            Response made;
            made.meta.uuid = uuid;
            made.meta.started = QDateTime::currentDateTimeUtc().addSecs(-200);
            made.meta.ended = made.meta.started.addMSecs(140'000 + random.bounded(60'000));
            made.answers = answers;
            // One transaction for all of them (setup): the events as the session logs them.
            m_store->recordPageShown(uuid, {}, voxpopParadata(made, random));
        }
        m_store->finalise(uuid, ResponseStatus::Complete);
        uuids << uuid;
    }
    return uuids;
}

// Forms and answers -----------------------------------------------------------------------------

QString voxpopPath()
{
    return sourcePath(QStringLiteral("forms/community-contracts-voxpop.json"));
}

const Form &voxpopForm()
{
    static const Form form = [] {
        FormLoadResult r = FormLoader::loadFile(voxpopPath());
        if (!r.ok())
            fail(QStringLiteral("the vox-pop form does not load: %1").arg(r.problems.value(0).toString()));
        return *r.form;
    }();
    return form;
}

QMap<QString, QString> voxpopAnswers(QRandomGenerator &random)
{
    const auto pick = [&](const QStringList &from) { return from.at(int(random.bounded(quint32(from.size())))); };
    const QStringList rating{"1", "2", "3", "4", "5", "dk"};
    const QStringList change{"better", "same", "worse", "dk"};
    static const QStringList comments{
        QStringLiteral("The library runs great free events for children and the staff are really helpful."),
        QStringLiteral("It is very hard to reach anyone by phone; the queue is long and then the line drops."),
        QStringLiteral("Bins are collected on time now but the recycling point by the shops overflows."),
        QStringLiteral("Nobody told us about the meeting until the day after. More notice please."),
        QString()};
    QMap<QString, QString> a;
    a.insert(QStringLiteral("consent"), QStringLiteral("yes"));
    const QString aware = pick({"yes", "yes", "no", "dk"});
    a.insert(QStringLiteral("aware"), aware);
    if (aware == QLatin1String("yes")) {
        a.insert(QStringLiteral("heard_how"), pick({"leaflet", "leaflet meeting", "council word", "poster"}));
        a.insert(QStringLiteral("involved"), pick({"none", "meeting", "meeting consultation", "volunteer"}));
    }
    for (const char *service : {"drugs", "bins", "graffiti", "streets"}) {
        a.insert(QStringLiteral("rate_%1").arg(QLatin1String(service)), pick(rating));
        a.insert(QStringLiteral("change_%1").arg(QLatin1String(service)), pick(change));
    }
    a.insert(QStringLiteral("influence"), pick(rating));
    a.insert(QStringLiteral("trust_council"), pick(rating));
    a.insert(QStringLiteral("age_band"), pick({"16_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"}));
    a.insert(QStringLiteral("gender"), pick({"woman", "man", "other", "refused"}));
    a.insert(QStringLiteral("tenure"), pick({"owner", "council", "housing_association", "private", "family"}));
    a.insert(QStringLiteral("years_in_area"), QString::number(random.bounded(1, 60)));
    const QString comment = pick(comments);
    if (!comment.isEmpty())
        a.insert(QStringLiteral("comment"), comment);
    const QString involved = a.value(QStringLiteral("involved"));
    a.insert(QStringLiteral("involved_any"),
             !involved.isEmpty() && !involved.split(QLatin1Char(' ')).contains(QStringLiteral("none"))
                 ? QStringLiteral("yes") : QStringLiteral("no"));
    return a;
}

QList<ParadataEvent> voxpopParadata(const Response &r, QRandomGenerator &random)
{
    static const QStringList order = [] {
        QStringList names;
        for (const Question &q : voxpopForm().questions)
            names.append(q.name);
        return names;
    }();
    return tabletParadata(r, random, order, voxpopForm().languages);
}

QByteArray voxpopJsonWithVersion(const QString &version)
{
    QFile f(voxpopPath());
    if (!f.open(QIODevice::ReadOnly))
        fail(QStringLiteral("cannot read the vox-pop form"));
    QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    o.insert(QStringLiteral("version"), version);
    return QJsonDocument(o).toJson();
}

} // namespace kerbside::test
