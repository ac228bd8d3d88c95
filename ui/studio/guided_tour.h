#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <vector>

class QFrame;
class QLabel;
class QPushButton;
class QWidget;

namespace plexus::ui {

class StudioWindow;

/// A short, skippable first run of the demo (Help → Guided tour; offered once at the first start): a callout next
/// to Simulate, Train, the connectivity, the latents and the functions in turn, saying what to do and what to
/// watch. Finishing or skipping it is remembered (QSettings "tourSeen").
class GuidedTour : public QObject
{
    Q_OBJECT
public:
    explicit GuidedTour(StudioWindow* window);

    void start();
    void next();
    void skip();
    bool running() const;
    int step() const { return m_step; }
    int stepCount() const { return static_cast<int>(m_steps.size()); }
    QString text() const;
    /// Whether the tour was finished or skipped before (then it is not offered again at start).
    static bool seen();

private:
    struct Step
    {
        std::function<QWidget*()> target;
        QString text;
    };
    void show();
    void finish();

    StudioWindow* m_window;
    std::vector<Step> m_steps;
    int m_step = -1;
    QPointer<QFrame> m_bubble;
    QLabel* m_label = nullptr;
    QPushButton* m_next = nullptr;
};

} // namespace plexus::ui
