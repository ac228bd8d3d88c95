// The Training panel's loss curves (docs/user-guide.md, "Panels": Training): a term switched off by the schedule
// breaks its line (NaN rows, drawn with dots), a term never on is not drawn, a term always on has no gaps.
#include "panels/loss_series.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace plexus;
using namespace plexus::ui;

class TestLossSeries : public QObject
{
    Q_OBJECT

private:
    static const LossSeries* find(const std::vector<LossSeries>& all, const QString& name)
    {
        const auto it = std::find_if(all.begin(), all.end(), [&](const LossSeries& s) { return s.name == name; });
        return it == all.end() ? nullptr : &*it;
    }

private Q_SLOTS:
    void termsSwitchedOffBreakTheirLine()
    {
        // Monotonicity on in the first phase, off in the second (supp_8's schedule), then on for one row: that row
        // stands between two gaps. L1(W) never on.
        std::vector<TrainingMetrics> history(6);
        const double monotonicity[] = {0.5, 0.25, 0.0, 0.0, 0.125, 0.0};
        for (std::size_t r = 0; r < history.size(); ++r) {
            history[r].iteration = 500 * static_cast<std::int64_t>(r + 1);
            history[r].loss.prediction = 10.0 / static_cast<double>(r + 1);
            history[r].loss.monotonicity = monotonicity[r];
            history[r].loss.total = history[r].loss.prediction + monotonicity[r];
        }
        const auto all = lossSeries(history);
        QCOMPARE(int(all.size()), 3); // total, prediction, monotonicity
        QVERIFY(find(all, "L1(W)") == nullptr);
        QVERIFY(find(all, "φ*(0) = 0") == nullptr);

        const LossSeries* total = find(all, "total");
        QVERIFY(total && !total->gaps && !total->color.isValid()); // the theme's foreground
        QCOMPARE(total->x.size(), 6);
        QCOMPARE(total->x.back(), 3000.0);

        const LossSeries* mono = find(all, "monotonicity");
        QVERIFY(mono && mono->gaps);
        QCOMPARE(mono->y.size(), 6);
        for (int r = 0; r < 6; ++r)
            QCOMPARE(std::isnan(mono->y[r]), monotonicity[r] == 0.0);
        QCOMPARE(mono->y[4], 0.125);
    }

    void anEmptyHistoryDrawsNothing() { QVERIFY(lossSeries({}).empty()); }
};

QTEST_GUILESS_MAIN(TestLossSeries)
#include "test_loss_series.moc"
