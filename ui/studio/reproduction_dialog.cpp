#include "studio/reproduction_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace plexus::ui {

namespace {

QString duration(double seconds)
{
    const int s = static_cast<int>(seconds + 0.5);
    return s >= 3600 ? QString("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60)
                     : QString("%1 min %2 s").arg(s / 60).arg(s % 60);
}

QTableWidgetItem* cell(const QString& text)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

} // namespace

ReproductionDialog::ReproductionDialog(const ReproductionResult& result, const QString& jsonPath, QWidget* parent)
    : QDialog(parent)
{
    setObjectName("reproductionDialog");
    setWindowTitle(tr("Reproduction of %1").arg(QString::fromStdString(result.experiment)));
    auto* layout = new QVBoxLayout(this);
    int missed = 0;
    for (const ReproductionRow& row : result.rows)
        missed += !row.pass;
    auto* summary = new QLabel(
        tr("<b>%1</b>: %2<br>recipe %3, %4 iterations, %5 on %6")
            .arg(QString::fromStdString(result.experiment),
                 missed == 0 ? tr("every target met") : tr("%1 of %2 targets missed").arg(missed).arg(result.rows.size()),
                 QString::fromStdString(result.recipe), QString::number(result.iterations), duration(result.wallSeconds),
                 QString::fromStdString(result.device)),
        this);
    layout->addWidget(summary);

    m_table = new QTableWidget(static_cast<int>(result.rows.size()), 5, this);
    m_table->setObjectName("reproductionTable");
    m_table->setHorizontalHeaderLabels({tr("metric"), tr("paper"), tr("measured"), tr("target"), tr("")});
    m_table->verticalHeader()->hide();
    for (int r = 0; r < static_cast<int>(result.rows.size()); ++r) {
        const ReproductionRow& row = result.rows[static_cast<std::size_t>(r)];
        m_table->setItem(r, 0, cell(QString::fromStdString(row.metric)));
        m_table->setItem(r, 1, cell(row.paper ? QString::number(*row.paper, 'f', 3) : QString("—")));
        m_table->setItem(r, 2, cell(QString::number(row.measured, 'f', row.count ? 0 : 4))); // as the CLI prints
        m_table->setItem(r, 3, cell(QString::fromStdString(row.tolerance)));
        QTableWidgetItem* verdict = cell(row.pass ? tr("pass") : tr("FAIL"));
        verdict->setForeground(row.pass ? QColor(40, 150, 70) : QColor(200, 50, 40));
        m_table->setItem(r, 4, verdict);
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setStretchLastSection(true);
    int height = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
    for (int r = 0; r < m_table->rowCount(); ++r)
        height += m_table->rowHeight(r);
    m_table->setFixedHeight(height); // every row visible, no scrolling, no empty space
    layout->addWidget(m_table);

    auto* where = new QLabel(tr("Written to %1").arg(jsonPath.toHtmlEscaped()), this);
    where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    where->setWordWrap(true);
    layout->addWidget(where);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(720, sizeHint().height());
}

} // namespace plexus::ui
