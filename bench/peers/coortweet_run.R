#!/usr/bin/env Rscript
# Run CooRTweet (prep_data -> detect_groups -> generate_coordinated_network) on a
# 4-column CSV (object_id, account_id, content_id, timestamp_share) and write the
# full coordinated network's edges, so bench/bench_detect.py can compare edge sets.
# Usage: Rscript coortweet_run.R INPUT.csv OUT_DIR TIME_WINDOW MIN_PARTICIPATION EDGE_WEIGHT
# The private library with CooRTweet is taken from R_LIBS (see bench/setup_peers.sh).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 5) stop("usage: coortweet_run.R INPUT OUT_DIR TIME_WINDOW MIN_PARTICIPATION EDGE_WEIGHT")
suppressPackageStartupMessages({
  library(data.table)
  library(CooRTweet)
})
input <- args[[1]]; out_dir <- args[[2]]
tw <- as.numeric(args[[3]]); mp <- as.integer(args[[4]]); ew <- as.numeric(args[[5]])
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
threads <- Sys.getenv("BENCH_THREADS", "")
if (nzchar(threads)) data.table::setDTthreads(as.integer(threads))

t0 <- Sys.time()
x <- fread(input, colClasses = c(object_id = "character", account_id = "character",
                                 content_id = "character", timestamp_share = "numeric"))
x <- prep_data(x)
t1 <- Sys.time()
groups <- detect_groups(x, time_window = tw, min_participation = mp, remove_loops = TRUE)
t2 <- Sys.time()
g <- generate_coordinated_network(groups, edge_weight = ew)
t3 <- Sys.time()
e <- igraph::as_data_frame(g, what = "edges")
keep <- intersect(c("from", "to", "weight", "avg_time_delta", "weight_threshold"), names(e))
fwrite(as.data.table(e)[, ..keep], file.path(out_dir, "edges.csv"))
t4 <- Sys.time()
cat(sprintf("rows=%d detect_groups_rows=%d nodes=%d edges=%d\n",
            nrow(x), nrow(groups), igraph::vcount(g), igraph::ecount(g)))
cat(sprintf("seconds load=%.3f detect_groups=%.3f network=%.3f write=%.3f\n",
            as.numeric(t1 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs"),
            as.numeric(t3 - t2, units = "secs"), as.numeric(t4 - t3, units = "secs")))
