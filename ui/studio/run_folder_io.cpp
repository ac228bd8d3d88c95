#include "studio/run_folder_io.h"

#include "plexus/runtime/run_folder.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

namespace plexus::ui {

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
        const QString name = QFileInfo(file).fileName();
        if (relative.startsWith("previous-") || name == ".plexus.lock" ||
            RunFolder::isTemporaryName(name.toStdString()))
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
