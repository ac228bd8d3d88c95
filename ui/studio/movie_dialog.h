#pragma once

#include "studio/movie_recorder.h"

#include <QDialog>
#include <QStringList>

class QButtonGroup;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace plexus::ui {

/// What File → Record movie… was asked for.
struct MovieRequest
{
    QString panel;          ///< the panel's name
    bool training = true;   ///< the training as it runs, else the activity playback
    int first = 0, last = 0, step = 1; ///< playback frames
    MovieOptions options;
};

/// File → Record movie…: which panel, the training or the playback (which frames), size, speed and file.
class MovieDialog : public QDialog
{
    Q_OBJECT
public:
    /// `panels`: name and title of each panel; `frames`: the playback's frames (0: no data yet).
    MovieDialog(const QList<QPair<QString, QString>>& panels, int frames, const QString& defaultPath,
                QWidget* parent = nullptr);
    MovieRequest request() const;

private:
    void updateEnabled();
    void browse();

    QComboBox* m_panel;
    QButtonGroup* m_source;
    QSpinBox *m_first, *m_last, *m_step, *m_width, *m_height, *m_fps;
    QLineEdit* m_path;
};

} // namespace plexus::ui
