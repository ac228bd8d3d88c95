#include "studio/run_folder_io.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

namespace plexus::ui {

QString configPathOf(const QString& runDir) { return QDir(runDir).filePath("config.yaml"); }
QString datasetPathOf(const QString& runDir) { return QDir(runDir).filePath("dataset.h5"); }
QString metricsPathOf(const QString& runDir) { return QDir(runDir).filePath("metrics.csv"); }
QString layoutPathOf(const QString& runDir) { return QDir(runDir).filePath("layout.dat"); }

bool hasCheckpoint(const QString& runDir)
{
    return !QDir(QDir(runDir).filePath("checkpoints")).entryList({"*.pt"}, QDir::Files).isEmpty();
}

bool archiveTraining(const QString& runDir, QString* error)
{
    QDir dir(runDir);
    const QString aside = "previous-" + QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    bool made = false;
    for (const QString& name : {QStringLiteral("checkpoints"), QStringLiteral("metrics.csv"), QStringLiteral("metrics.json")}) {
        if (!QFileInfo::exists(dir.filePath(name)))
            continue;
        if (!made && !dir.mkpath(aside)) {
            *error = dir.filePath(aside) + ": cannot create the folder for the previous training";
            return false;
        }
        made = true;
        if (!dir.rename(name, aside + "/" + name)) {
            *error = dir.filePath(name) + ": cannot move it to " + aside;
            return false;
        }
    }
    return true;
}

bool copyRunFolder(const QString& from, const QString& to, QString* error)
{
    const QDir source(from);
    if (!QDir().mkpath(to)) {
        *error = to + ": cannot create the folder";
        return false;
    }
    QDirIterator it(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString relative = source.relativeFilePath(file);
        if (relative.startsWith("previous-") || relative.endsWith(".part"))
            continue;
        const QString target = QDir(to).filePath(relative);
        QDir().mkpath(QFileInfo(target).path());
        QFile::remove(target);
        if (!QFile::copy(file, target)) {
            *error = target + ": cannot copy " + file + " here";
            return false;
        }
    }
    return true;
}

} // namespace plexus::ui
