#pragma once

#include <QColor>
#include <QObject>
#include <QString>

class QCustomPlot;

namespace plexus::ui {

/// The colours every panel and plot follows (light or dark), and the palette of neuron types.
struct Theme
{
    bool dark = false;
    QColor background, foreground, grid, accent, selection;
    /// Presenter mode (View → Presenter mode): text and lines this much larger, for a projector.
    double scale = 1.0;

    static Theme light();
    static Theme darkTheme();
    /// Colour of neuron type (or cluster) k: the tab10 palette of the paper's figures.
    static QColor typeColor(int k);
    /// The k-th of a set of traces shown together: each its own colour, whatever the neurons' types.
    static QColor traceColor(int k);
};

/// Holds the current theme; panels restyle on changed(). Applies the matching QPalette to the application.
class ThemeManager : public QObject
{
    Q_OBJECT
public:
    static ThemeManager& instance();
    const Theme& theme() const { return m_theme; }
    void setDark(bool dark);
    /// Larger text and lines for a projector (×1.5), or back to normal.
    void setPresenter(bool on);

Q_SIGNALS:
    void changed();

private:
    ThemeManager();
    Theme m_theme;
};

} // namespace plexus::ui
