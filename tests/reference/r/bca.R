# Reference values for ownership.stats.inference.bca_interval and the BCa,
# percentile and basic intervals of bootstrap_ci: R's boot package given the
# very same replicates and empirical influence values.
#
# Run from the repository root:  Rscript tests/reference/r/bca.R
# It writes tests/reference/bca.json. The tests read that file; they never
# need R. The end-to-end cases ask the project's Python (PYTHON, default
# .venv/bin/python) for the index matrix numpy draws in bootstrap_ci, so that
# R evaluates the statistic on exactly the same resamples.
library(boot)
library(jsonlite)

python <- Sys.getenv("PYTHON", ".venv/bin/python")

# the value of expr (or R's error message), and whether R warned on the way
r_error <- function(expr) tryCatch({ expr; NA_character_ },
                                   error = conditionMessage)
r_warns <- function(expr) {
  warned <- FALSE
  value <- withCallingHandlers(expr, warning = function(w) {
    warned <<- TRUE
    invokeRestart("muffleWarning")
  })
  list(value = value, warned = warned)
}

set.seed(20261124)
jack_influence <- function(x, statistic) {
  n <- length(x)
  tj <- vapply(seq_len(n), function(i) statistic(x[-i]), numeric(1))
  (n - 1) * (statistic(x) - tj)   # boot:::usual.jack, empinf(type = "jack")
}

make_case <- function(name, x, R, conf) {
  b <- boot(x, function(d, i) mean(d[i]), R = R)
  t0 <- b$t0
  t <- as.vector(b$t)
  L <- jack_influence(x, mean)
  stopifnot(all.equal(L, as.vector(empinf(b, type = "jack"))))
  bca <- r_warns(boot:::bca.ci(b, conf = conf, t0 = t0, t = t, L = L))
  perc <- r_warns(boot:::perc.ci(t, conf = conf))
  basic <- r_warns(boot:::basic.ci(t0, t, conf = conf))
  ci <- suppressWarnings(
    boot.ci(b, conf = conf, type = c("bca", "perc", "basic"), L = L)
  )
  stopifnot(all.equal(ci$bca[4:5], bca$value[4:5]))
  list(
    name = name, x = x, t0 = t0, t = t, L = L, conf = conf,
    below = sum(t < t0), ties = sum(t == t0),
    bca = bca$value[4:5], perc = perc$value[4:5], basic = basic$value[4:5],
    warned = list(bca = bca$warned, perc = perc$warned, basic = basic$warned)
  )
}

cases <- list(
  # 5-point steps of 100 points: many replicate means equal the estimate
  make_case("shares_n8", c(0.2, 0, 0.35, 0.1, 0, 0.25, 1, 0.15), 1999, 0.95),
  make_case("shares_n15", round(rbeta(15, 0.6, 1.8) * 20) / 20, 1999, 0.95),
  # all-or-nothing answers of 40 people
  make_case("binary_n40", rbinom(40, 1, 0.3), 999, 0.9),
  # a skewed continuous score
  make_case("skewed_n25", rexp(25, 2), 2999, 0.95)
)

# --------------------------------------------------------------------------
# a constructed distribution of replicates: 80 of 200 below 0.5, 40 equal to
# it. Counting ties as half (scipy) gives z0 = qnorm(0.5) = 0; R counts them
# as not below: z0 = qnorm(0.4).
tied_t <- rep((6:14) / 20, times = c(10, 15, 20, 35, 40, 30, 25, 15, 10))
tied_L <- c(-0.3, -0.2, -0.1, 0, 0.05, 0.1, 0.45)
tied_bca <- r_warns(boot:::bca.ci(NULL, conf = 0.9, t0 = 0.5, t = tied_t,
                                   L = tied_L))
tied_perc <- r_warns(boot:::perc.ci(tied_t, conf = 0.9))
tied_basic <- r_warns(boot:::basic.ci(0.5, tied_t, conf = 0.9))
tied <- list(
  name = "constructed_ties", t0 = 0.5, t = tied_t, L = tied_L, conf = 0.9,
  below = sum(tied_t < 0.5), ties = sum(tied_t == 0.5),
  z0 = qnorm(sum(tied_t < 0.5) / length(tied_t)),
  a = sum(tied_L^3) / (6 * sum(tied_L^2)^1.5),
  bca = tied_bca$value[4:5], perc = tied_perc$value[4:5],
  basic = tied_basic$value[4:5],
  warned = list(bca = tied_bca$warned, perc = tied_perc$warned,
                basic = tied_basic$warned)
)
cases[[length(cases) + 1L]] <- tied

# 195 of 200 replicates below the estimate and the largest possible
# acceleration (1/6): the upper adjusted alpha is pnorm(13.3) = 1 in double
# precision, the order statistic R + 1, and R's upper end is NA.
steep_t <- (1:200) / 200
steep_L <- c(1, 0, 0)
steep_bca <- r_warns(boot:::bca.ci(NULL, conf = 0.95, t0 = 0.976, t = steep_t,
                                    L = steep_L))
steep_perc <- r_warns(boot:::perc.ci(steep_t, conf = 0.95))
steep_basic <- r_warns(boot:::basic.ci(0.976, steep_t, conf = 0.95))
cases[[length(cases) + 1L]] <- list(
  name = "adjusted_alpha_of_one", t0 = 0.976, t = steep_t, L = steep_L,
  conf = 0.95, below = sum(steep_t < 0.976), ties = sum(steep_t == 0.976),
  bca = steep_bca$value[4:5], perc = steep_perc$value[4:5],
  basic = steep_basic$value[4:5],
  warned = list(bca = steep_bca$warned, perc = steep_perc$warned,
                basic = steep_basic$warned)
)

# --------------------------------------------------------------------------
# end to end: the resamples numpy draws in bootstrap_ci (one chunk:
# default_rng(seed).integers(0, n, size = (B, n))), the statistic evaluated
# on them by R, the jackknife influence values of empinf(type = "jack") and
# boot.ci on a boot object carrying those replicates.
numpy_indices <- function(seed, B, n) {
  code <- sprintf(paste0(
    "import sys, numpy as np; np.savetxt(sys.stdout, np.random.default_rng(%d)",
    ".integers(0, %d, size=(%d, %d)), fmt=\"%%d\")"
  ), seed, n, B, n)
  out <- system2(python, c("-c", shQuote(code)), stdout = TRUE)
  stopifnot(length(out) == B)
  do.call(rbind, lapply(strsplit(out, " "), as.integer)) + 1L
}

end_to_end <- function(name, x, statistic, seed, B, conf) {
  x <- as.matrix(x)
  n <- nrow(x)
  stat <- function(d, i) statistic(d[i, , drop = FALSE])
  idx <- numpy_indices(seed, B, n)
  b <- boot(x, stat, R = 2)   # only the object: its t is replaced below
  t0 <- b$t0
  t <- t(apply(idx, 1, function(i) stat(x, i)))
  if (length(t0) == 1L) t <- t(t)
  b$t <- t
  b$R <- B
  m <- length(t0)
  L <- sapply(seq_len(m), function(j) empinf(b, index = j, type = "jack"))
  per_stat <- lapply(seq_len(m), function(j) {
    # boot.ci(b, conf, type = c("bca", "perc", "basic"), index = j, L = L[, j])
    ci <- suppressWarnings(boot.ci(b, conf = conf, index = j, L = L[, j],
                                   type = c("bca", "perc", "basic")))
    tj <- t[, j]
    warned <- list(
      bca = r_warns(boot:::bca.ci(b, conf, j, t0 = t0[j], t = tj,
                                  L = L[, j]))$warned,
      perc = r_warns(boot:::perc.ci(tj, conf))$warned,
      basic = r_warns(boot:::basic.ci(t0[j], tj, conf))$warned
    )
    list(
      t0 = t0[j], below = sum(tj < t0[j]), ties = sum(tj == t0[j]),
      se = sd(tj), L = L[, j],
      bca = ci$bca[4:5], perc = ci$percent[4:5], basic = ci$basic[4:5],
      warned = warned
    )
  })
  list(
    name = name, x = if (ncol(x) == 1L) as.vector(x) else unname(x),
    seed = seed, n_resamples = B, conf = conf,
    first_resample = idx[1, ] - 1L, t = unname(t), statistics = per_stat
  )
}

step_points <- function(n, k) {
  # allocations of 100 points in 5-point steps over k loci
  t(replicate(n, 5 * as.vector(rmultinom(1, 20, rgamma(k, 0.7)))))
}
# Shares as exact integer sums divided once, colSums(d) / (100 n): R and numpy
# then compute the very same doubles, so replicates equal to the estimate are
# equal in both (a mean of shares k / 20 summed in another order can differ
# from the estimate in the last bit and turn a tie into "below").
mean_share <- function(d) colSums(d) / (100 * nrow(d))

e2e <- list(
  # two mean shares (of three loci) at once: the statistic returns (B, 2)
  end_to_end("mean_shares_n15", step_points(15, 3),
             function(d) mean_share(d)[1:2], 11, 1999, 0.95),
  # a discrete statistic with many ties: the mean of 0/1 answers of 8 people
  end_to_end("mean_binary_n8", c(1, 0, 0, 1, 0, 0, 0, 1), colMeans, 8, 1999, 0.95),
  # a non-linear one: the HHI of the mean composition over 4 loci; here the
  # jackknife of boot, (n - 1)(t0 - t_(-i)), differs from the centred one
  end_to_end("hhi_of_mean_n12", step_points(12, 4),
             function(d) sum(mean_share(d)^2), 12, 999, 0.9)
)

# --------------------------------------------------------------------------
# what R does where the interval is undefined, and at the extreme ends
undefined <- list(
  all_equal = r_error(boot:::bca.ci(NULL, t0 = 0.5, t = rep(0.5, 10),
                                    L = c(1, -1))),
  all_above = r_error(boot:::bca.ci(NULL, t0 = 0.5, t = rep(0.6, 10),
                                    L = c(1, -1))),
  all_below = r_error(boot:::bca.ci(NULL, t0 = 0.5, t = rep(0.4, 10),
                                    L = c(1, -1))),
  no_spread_in_L = r_error(boot:::bca.ci(NULL, t0 = 0.5, t = rep(c(0.4, 0.6), 5),
                                         L = c(0, 0))),
  perc_of_constant = boot:::perc.ci(rep(0.5, 99))[4:5]
)
norm_inter <- lapply(list(
  list(t = 1:9, alpha = c(0.3, 0.35)),
  list(t = 1:9, alpha = c(0.05, 0.99)),
  list(t = 1:9, alpha = c(0.1, 0.9)),   # (R + 1) alpha = 1 and R: warns
  list(t = 1:9, alpha = c(0.5, 1)),      # order statistic R + 1: NA
  list(t = c(3, 1, 2, 5, 4, 9, 8, 7, 6, 10, 12, 11), alpha = c(0.2, 0.7))
), function(case) {
  res <- r_warns(boot:::norm.inter(case$t, case$alpha))
  c(case, list(out = res$value[, 2], warned = res$warned))
})

# jsonlite prints at most 15 significant digits; these are printed with 17,
# so that the tests read back the very doubles R used (ties included)
exact <- function(v) {
  if (is.list(v)) return(lapply(v, exact))
  if (!is.double(v)) return(v)
  s <- ifelse(is.na(v), "null", sprintf("%.17g", v))
  row <- function(r) paste0("[", paste(r, collapse = ", "), "]")
  if (is.matrix(v)) {
    s <- row(apply(matrix(s, nrow(v)), 1, row))
  } else if (length(v) != 1L) {
    s <- row(s)
  }
  structure(s, class = "json")
}

out <- list(
  generated_by = "tests/reference/r/bca.R",
  r_version = R.version.string,
  boot_version = as.character(packageVersion("boot")),
  cases = exact(cases),
  end_to_end = exact(e2e),
  undefined = exact(undefined),
  norm_inter = exact(norm_inter)
)
write_json(out, "tests/reference/bca.json", auto_unbox = TRUE, pretty = TRUE,
           json_verbatim = TRUE)
