#include "studio/movie_dialog.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace plexus::ui {

namespace {

QSpinBox* spin(QWidget* parent, int low, int high, int value, const QString& suffix = {})
{
    auto* box = new QSpinBox(parent);
    box->setRange(low, high);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}

} // namespace

MovieDialog::MovieDialog(const QList<QPair<QString, QString>>& panels, int frames, const QString& defaultPath,
                         QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Record a movie"));
    m_panel = new QComboBox(this);
    m_panel->setObjectName("moviePanel");
    for (const auto& [name, title] : panels)
        m_panel->addItem(title, name);
    auto* training = new QRadioButton(tr("the training as it runs (a frame per new iteration drawn, until it ends "
                                         "or File → Stop recording)"),
                                      this);
    auto* playback = new QRadioButton(tr("the activity playback (the panel at a range of frames)"), this);
    training->setChecked(true);
    playback->setEnabled(frames > 0);
    m_source = new QButtonGroup(this);
    m_source->addButton(training, 0);
    m_source->addButton(playback, 1);
    const int last = std::max(0, frames - 1);
    m_first = spin(this, 0, last, 0);
    m_last = spin(this, 0, last, last);
    m_step = spin(this, 1, std::max(1, frames), MovieRecorder::defaultStep(frames));
    m_width = spin(this, 16, 7680, 1280, tr(" px"));
    m_height = spin(this, 16, 4320, 720, tr(" px"));
    m_fps = spin(this, 1, 120, 10, tr(" frames/s"));
    m_path = new QLineEdit(defaultPath, this);
    m_path->setObjectName("moviePath");
    m_path->setToolTip(tr("An .mp4 file (H.264), or a folder for numbered PNG frames (frame_00001.png, …)"));
    auto* browse = new QPushButton(tr("Browse…"), this);

    auto* frameRow = new QHBoxLayout;
    frameRow->addWidget(new QLabel(tr("from"), this));
    frameRow->addWidget(m_first);
    frameRow->addWidget(new QLabel(tr("to"), this));
    frameRow->addWidget(m_last);
    frameRow->addWidget(new QLabel(tr("every"), this));
    frameRow->addWidget(m_step);
    frameRow->addStretch(1);
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel(tr("×"), this));
    sizeRow->addWidget(m_height);
    sizeRow->addWidget(m_fps);
    sizeRow->addStretch(1);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("Panel:"), m_panel);
    form->addRow(tr("Record:"), training);
    form->addRow(QString(), playback);
    form->addRow(tr("Frames:"), frameRow);
    form->addRow(tr("Size:"), sizeRow);
    form->addRow(tr("File:"), pathRow);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Record"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    auto* hint = new QLabel(tr("Each frame is the panel drawn as a figure (title, plots, caption with the iteration "
                               "and scores); a path without .mp4 is a folder of PNG frames."),
                            this);
    hint->setWordWrap(true);
    layout->addWidget(hint);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, &MovieDialog::browse);
    connect(m_source, &QButtonGroup::idClicked, this, &MovieDialog::updateEnabled);
    updateEnabled();
}

void MovieDialog::updateEnabled()
{
    const bool playback = m_source->checkedId() == 1;
    for (QSpinBox* box : {m_first, m_last, m_step})
        box->setEnabled(playback);
    if (playback && m_fps->value() == 10)
        m_fps->setValue(25);
}

void MovieDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Movie file"), m_path->text(), tr("MP4 video (*.mp4)"));
    if (!path.isEmpty())
        m_path->setText(path.endsWith(".mp4", Qt::CaseInsensitive) ? path : path + ".mp4");
}

MovieRequest MovieDialog::request() const
{
    MovieRequest request;
    request.panel = m_panel->currentData().toString();
    request.training = m_source->checkedId() == 0;
    request.first = m_first->value();
    request.last = m_last->value();
    request.step = m_step->value();
    request.options.path = m_path->text().trimmed();
    request.options.pixels = QSize(m_width->value(), m_height->value());
    request.options.fps = m_fps->value();
    return request;
}

} // namespace plexus::ui
