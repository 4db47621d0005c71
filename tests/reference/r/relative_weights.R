# Reference values for ownership.stats.importance (Johnson's relative weights).
# Run from the repository root: Rscript tests/reference/r/relative_weights.R
# Writes tests/reference/mtcars.csv, tests/reference/swiss.csv and
# tests/reference/relative_weights.json. R's datasets only; no package needed.

johnson <- function(x, y) {
  rxx <- cor(x)
  rxy <- cor(x, y)
  e <- eigen(rxx, symmetric = TRUE)
  lambda <- e$vectors %*% diag(sqrt(e$values)) %*% t(e$vectors)
  beta <- solve(lambda, rxy)
  raw <- as.vector((lambda^2) %*% (beta^2))
  list(r_squared = sum(raw), weights = raw,
       ols_r_squared = summary(lm(y ~ x))$r.squared)
}

cases <- list(
  mtcars = list(data = mtcars[, c("mpg", "cyl", "disp", "hp", "gear")]),
  swiss = list(data = swiss[, c("Fertility", "Agriculture", "Examination",
                                "Education", "Catholic", "Infant.Mortality")])
)
out <- list()
for (name in names(cases)) {
  d <- cases[[name]]$data
  write.csv(d, sprintf("tests/reference/%s.csv", name), row.names = FALSE)
  r <- johnson(as.matrix(d[, -1]), d[, 1])
  out[[name]] <- sprintf(
    '"%s": {"predictors": [%s], "r_squared": %.15g, "ols_r_squared": %.15g, "weights": [%s]}',
    name, paste0('"', names(d)[-1], '"', collapse = ", "), r$r_squared,
    r$ols_r_squared, paste(sprintf("%.15g", r$weights), collapse = ", "))
}
writeLines(paste0("{\n  ", paste(unlist(out), collapse = ",\n  "), "\n}"),
           "tests/reference/relative_weights.json")
