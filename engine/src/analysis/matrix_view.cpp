#include "plexus/analysis/matrix_view.h"

#include <algorithm>

namespace plexus {

std::int64_t viewBlockSize(std::int64_t n, std::int64_t maxView)
{
    return std::max<std::int64_t>(1, (n + maxView - 1) / maxView);
}

Eigen::MatrixXf blockAverage(const Eigen::MatrixXf& w, std::int64_t block)
{
    if (block <= 1)
        return w;
    const std::int64_t rowsOut = (w.rows() + block - 1) / block, colsOut = (w.cols() + block - 1) / block;
    Eigen::MatrixXf view(rowsOut, colsOut);
    for (std::int64_t r = 0; r < rowsOut; ++r)
        for (std::int64_t c = 0; c < colsOut; ++c) {
            const std::int64_t rows = std::min(block, w.rows() - r * block), cols = std::min(block, w.cols() - c * block);
            view(r, c) = w.block(r * block, c * block, rows, cols).mean();
        }
    return view;
}

} // namespace plexus
