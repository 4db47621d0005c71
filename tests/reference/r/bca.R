# Reference values for ownership.stats.inference.bca_interval and the
# percentile and basic intervals of bootstrap_ci: R's boot package given the
# very same replicates and empirical influence values.
#
# Run from the repository root:  Rscript tests/reference/r/bca.R
# It writes tests/reference/bca.json. The tests read that file; they never
# need R.
library(boot)
library(jsonlite)

set.seed(20261124)
jack_influence <- function(x, statistic) {
  n <- length(x)
  tj <- vapply(seq_len(n), function(i) statistic(x[-i]), numeric(1))
  (n - 1) * (mean(tj) - tj)   # empinf(type = "jack")
}

make_case <- function(name, x, R, conf) {
  b <- boot(x, function(d, i) mean(d[i]), R = R)
  t0 <- b$t0
  t <- as.vector(b$t)
  L <- jack_influence(x, mean)
  stopifnot(all.equal(L, as.vector(empinf(b, type = "jack"))))
  bca <- boot:::bca.ci(b, conf = conf, t0 = t0, t = t, L = L)
  perc <- boot:::perc.ci(t, conf = conf)
  basic <- boot:::basic.ci(t0, t, conf = conf)
  ci <- boot.ci(b, conf = conf, type = c("bca", "perc", "basic"), L = L)
  stopifnot(all.equal(ci$bca[4:5], bca[4:5]))
  list(
    name = name, x = x, t0 = t0, t = t, L = L, conf = conf,
    below = sum(t < t0), ties = sum(t == t0),
    bca = bca[4:5], perc = perc[4:5], basic = basic[4:5]
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

out <- list(
  generated_by = "tests/reference/r/bca.R",
  r_version = R.version.string,
  boot_version = as.character(packageVersion("boot")),
  cases = cases
)
write_json(out, "tests/reference/bca.json", digits = NA, auto_unbox = TRUE,
           pretty = TRUE)
