#pragma once

#include "plots/figure_export.h"

#include <QList>
#include <QWidget>

class QCustomPlot;
class QHBoxLayout;
class QLabel;
class QVBoxLayout;

namespace plexus::ui {

class NeuronSelection;
class RunController;
struct Theme;

/// A dockable view of the run. Redraws from the controller's state when it changes and the panel is visible
/// (a hidden panel catches up when shown); exports what it shows (PNG/SVG/PDF) and the data behind it (CSV).
class Panel : public QWidget
{
    Q_OBJECT
public:
    Panel(const QString& name, const QString& title, RunController* controller, NeuronSelection* selection,
          QWidget* parent = nullptr);

    QString name() const { return objectName(); }
    QString title() const { return m_title; }
    /// The plots inside, for vector export.
    virtual QList<QCustomPlot*> plots() const { return {}; }
    /// The data behind the panel as CSV text (header line first).
    virtual QString csvText() const = 0;
    /// Content that is not a plot but belongs in the figure (a 3-D view, the formulas), drawn in its place.
    virtual QList<QWidget*> figureWidgets() const { return {}; }
    /// A plain-text report of what the panel shows, where it has one (e.g. the Functions panel's formulas): offered
    /// by the export dialog as .txt when not empty.
    virtual QString textReport() const { return {}; }
    /// The panel as a figure (exportFigure): title, the plots as vectors in their arrangement, the caption — no
    /// buttons. exportImage uses figureOptions(): twice the on-screen size at 192 dpi.
    bool exportFigure(const QString& path, const FigureOptions& options, QString* error);
    bool exportImage(const QString& path, QString* error);
    /// The panel as a figure image (a movie's frame): what exportFigure writes as PNG.
    QImage figureImage(const FigureOptions& options);
    FigureOptions figureOptions() const;
    /// What the figure's caption says: the experiment, the run, the iteration, and the panel's scores line.
    virtual QString figureCaption() const;
    /// Writes the CSV with a comment first ("# …" lines: the run, the iteration, the units).
    bool exportCsv(const QString& path, QString* error) const;
    QString csvComment() const;
    bool exportText(const QString& path, QString* error) const;
    /// Number of redraws with data so far (tests and the frame-time readout use it).
    int redrawCount() const { return m_redraws; }
    /// Milliseconds the last redraw took.
    double lastRedrawMs() const { return m_lastRedrawMs; }
    /// Redraws now if visible (else when shown).
    void refreshNow();
    /// Whether no plot's legend covers its data area (legends sit in a row of their own: tests check it).
    bool legendsClearOfData() const;
    /// Shows or hides the panel's plain-words explanation (its ⓘ button).
    void setExplanationVisible(bool visible);
    bool explanationVisible() const;

Q_SIGNALS:
    /// A redraw with data has just finished (a movie being recorded takes its frame then).
    void redrawn();
    /// The explanation's "About the method…" link was clicked.
    void aboutMethodRequested();

protected:
    /// Draws from the controller's current state; returns true when there was data to draw.
    virtual bool redraw() = 0;
    /// Shows a new selected neuron (default: a full redraw); panels with costly redraws only move highlights.
    virtual void redrawSelection() { redraw(); }
    /// Schedules redrawSelection() at once (selection feedback is not throttled).
    void markSelectionDirty();
    virtual void applyTheme(const Theme& theme);
    void markDirty();
    void showEvent(QShowEvent* event) override;
    QVBoxLayout* body() const { return m_body; }
    /// A wrapping status line at the start of the header (what the panel shows, its scores: one or two lines;
    /// details go in its tooltip).
    QLabel* addInfoLabel();
    /// A control of the panel's own (a choice, a field) on the row below the header, after those added before.
    void addTool(QWidget* widget);
    RunController* controller() const { return m_controller; }
    NeuronSelection* selection() const { return m_selection; }

private:
    FigureContent figureContent();
    void exportDialog();

    QString m_title;
    RunController* m_controller;
    NeuronSelection* m_selection;
    QVBoxLayout* m_body;
    QHBoxLayout* m_header;
    QHBoxLayout* m_tools;
    QLabel* m_explanation = nullptr;
    QLabel* m_infoLabel = nullptr;
    void runScheduled();
    void onTick();

    bool m_dirty = true;
    bool m_selectionDirty = false;
    bool m_scheduled = false;
    qint64 m_nextAllowedMs = 0; ///< data redraws wait until then (throttle: a panel spends ≤ 5 % of the time)
    int m_redraws = 0;
    double m_lastRedrawMs = 0.0;
};

} // namespace plexus::ui
