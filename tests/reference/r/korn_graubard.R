# Reference values for ownership.stats.concentration.mean_share_interval:
# the Korn-Graubard interval of a mean share, from R's survey package.
#
# survey::svyciprop(method = "beta") on a simple random sample computes the
# Clopper-Pearson interval at the effective sample size
# n* = p(1 - p) / var(p), var(p) from svymean. Korn & Graubard (1998) also
# multiply n* by (qnorm(1 - a/2) / qt(1 - a/2, n - 1))^2 for the degrees of
# freedom; the script checks that its formula reproduces svyciprop without
# that factor, then writes the intervals with it.
#
# Run from the repository root:  Rscript tests/reference/r/korn_graubard.R
library(survey)
library(jsonlite)

kg <- function(x, conf, df_adjust = TRUE) {
  d <- svydesign(ids = ~1, data = data.frame(x = x))
  m <- svymean(~x, d)
  p <- coef(m)[[1]]
  n_eff <- p * (1 - p) / vcov(m)[1, 1]
  a <- 1 - conf
  if (df_adjust) n_eff <- n_eff * (qnorm(1 - a / 2) / qt(1 - a / 2, length(x) - 1))^2
  c(qbeta(a / 2, n_eff * p, n_eff * (1 - p) + 1),
    qbeta(1 - a / 2, n_eff * p + 1, n_eff * (1 - p)))
}

set.seed(20261124)
xs <- list(
  n8 = c(0.2, 0, 0.35, 0.1, 0, 0.25, 1, 0.15),
  n5 = c(0, 0, 0.05, 0.4, 1),
  n30 = round(rbeta(30, 0.7, 1.5) * 20) / 20,
  n300 = round(rbeta(300, 2, 3) * 20) / 20
)
cases <- lapply(names(xs), function(name) {
  x <- xs[[name]]
  d <- svydesign(ids = ~1, data = data.frame(x = x))
  plain <- as.vector(attr(svyciprop(~x, d, method = "beta", level = 0.95), "ci"))
  stopifnot(isTRUE(all.equal(plain, kg(x, 0.95, df_adjust = FALSE))))
  list(name = name, x = x, conf = 0.95, mean = mean(x),
       svyciprop_beta = plain, korn_graubard = kg(x, 0.95),
       korn_graubard_90 = kg(x, 0.90))
})
write_json(
  list(generated_by = "tests/reference/r/korn_graubard.R",
       r_version = R.version.string,
       survey_version = as.character(packageVersion("survey")),
       cases = cases),
  "tests/reference/korn_graubard.json", digits = NA, auto_unbox = TRUE,
  pretty = TRUE)
