#pragma once

#include "panels/panel.h"

#include <Eigen/Core>

class QCPColorMap;
class QCPItemStraightLine;
class QCPTextElement;
class QLabel;
class QPushButton;

namespace plexus {
struct StimulusComparison;
}

namespace plexus::ui {

class Playback;

/// Stimulus: the hidden movie Ω that modulated the receiving neurons next to the learned field Ω* (docs/method.md
/// §B.5, §D.5) on their grid, upright as the movie was shown, at the playback frame; the scatter of learned against
/// true over the 100 compared frames with its fit line, R² and slope. Says so where the experiment has no hidden
/// stimulus or the model learns none. Exports the compared frames as PNG images (true | learned side by side).
class StimulusPanel : public Panel
{
    Q_OBJECT
public:
    StimulusPanel(RunController* controller, NeuronSelection* selection, Playback* playback, QWidget* parent = nullptr);
    QList<QCustomPlot*> plots() const override { return {m_trueView, m_learnedView, m_scatter}; }
    QString csvText() const override;
    /// Writes one PNG per compared frame (frame_0000.png …) into `folder`: true and learned side by side, each pixel
    /// of the grid `pixels` wide. Returns the number written, or −1 with `error` set.
    int exportFrames(const QString& folder, int pixels, QString* error) const;
    /// The data frame whose images are shown (−1 when none), and the fit shown (learned against true).
    std::int64_t shownFrame() const { return m_shownFrame; }
    double shownR2() const { return m_r2; }
    /// The shown images' grid values [side, side] (row 0 at the top): true, learned (empty when not learned yet).
    const Eigen::MatrixXf& trueImage() const { return m_trueImage; }
    const Eigen::MatrixXf& learnedImage() const { return m_learnedImage; }

protected:
    bool redraw() override;

private:
    void showFrame(int frame);
    void drawScatter(const StimulusComparison& comparison);
    void chooseExportFolder();
    /// Values of the receivers [M] laid out upright on the grid (movieGridNeuron), side × side.
    Eigen::MatrixXf gridOf(const Eigen::VectorXf& values) const;
    void fill(QCPColorMap* map, const Eigen::MatrixXf& image, double bottom, double top);

    Playback* m_playback;
    QCustomPlot* m_trueView;
    QCustomPlot* m_learnedView;
    QCustomPlot* m_scatter;
    QCPColorMap* m_trueMap;
    QCPColorMap* m_learnedMap;
    QCPItemStraightLine* m_fitLine;
    QCPTextElement* m_trueTitle;
    QCPTextElement* m_learnedTitle;
    QLabel* m_info;
    QPushButton* m_exportFrames;
    Eigen::MatrixXf m_trueImage, m_learnedImage;
    std::int64_t m_shownFrame = -1;
    double m_r2 = 0.0;
};

} // namespace plexus::ui
