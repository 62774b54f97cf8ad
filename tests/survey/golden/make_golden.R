# Reference values for cotera.survey, computed with R survey (Lumley).
# Run once at development time from this directory:  Rscript make_golden.R
# Writes: sample.csv (synthetic data, seed 20240605), margins.csv, golden_estimates.csv,
# golden_weights.csv. The test suite compares cotera to these files and never needs R.
suppressMessages(library(survey))
options(survey.lonely.psu = "fail")
set.seed(20240605)

# ---- synthetic sample (synthétique): 4 strata x 8 clusters, 480 respondents ----------------
n <- 480
stratum <- rep(c("A", "B", "C", "D"), each = n / 4)
cluster <- paste0(stratum, sprintf("%02d", sample(1:8, n, replace = TRUE)))
region <- sample(c("11", "24", "32", "53", "84"), n, replace = TRUE, prob = c(.3, .15, .2, .15, .2))
sex <- sample(c("F", "M"), n, replace = TRUE, prob = c(.45, .55))
age_band <- sample(c("18-34", "35-54", "55+"), n, replace = TRUE, prob = c(.2, .35, .45))
w <- round(runif(n, 0.5, 3.5), 3)
lin <- -0.4 + 0.5 * (region %in% c("32", "84")) + 0.4 * (age_band == "55+") - 0.3 * (sex == "M")
impact <- findInterval(plogis(lin + rnorm(n)), c(0.3, 0.5, 0.7)) + 1
innovation <- as.integer(runif(n) < plogis(0.6 + 0.3 * (impact >= 3)))
score <- round(10 + 2 * (impact >= 3) + rnorm(n, 0, 3), 4)
sample_df <- data.frame(id = sprintf("r%03d", 1:n), stratum, cluster, region, sex, age_band,
                        w, impact, innovation, score, synthetic = TRUE)
write.csv(sample_df, "sample.csv", row.names = FALSE)

# ---- population margins (consistent totals: 100000) -----------------------------------------
pop_sex <- data.frame(sex = c("F", "M"), Freq = c(52000, 48000))
pop_age <- data.frame(age_band = c("18-34", "35-54", "55+"), Freq = c(28000, 34000, 38000))
pop_region <- data.frame(region = c("11", "24", "32", "53", "84"),
                         Freq = c(27000, 13000, 21000, 16000, 23000))
margins <- rbind(
  data.frame(variable = "sex", level = pop_sex$sex, total = pop_sex$Freq),
  data.frame(variable = "age_band", level = pop_age$age_band, total = pop_age$Freq),
  data.frame(variable = "region", level = pop_region$region, total = pop_region$Freq))
write.csv(margins, "margins.csv", row.names = FALSE)

d <- read.csv("sample.csv", colClasses = c(region = "character"))
d$impact_f <- factor(d$impact)
tight <- list(maxit = 1000, epsilon = 1e-13)
designs <- list(
  srs = svydesign(ids = ~1, weights = ~w, data = d),
  strata = svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = d),
  cluster = svydesign(ids = ~cluster, weights = ~w, data = d),
  strata_cluster = svydesign(ids = ~cluster, strata = ~stratum, weights = ~w, nest = TRUE, data = d))
designs$raked <- rake(designs$srs, list(~sex, ~age_band, ~region),
                      list(pop_sex, pop_age, pop_region), control = tight)
designs$raked_strata_cluster <- rake(designs$strata_cluster, list(~sex, ~age_band, ~region),
                                     list(pop_sex, pop_age, pop_region), control = tight)
designs$poststratified <- rake(designs$srs, list(~region), list(pop_region), control = tight)

rows <- list()
bydeff <- function(x) as.matrix(x[, grep("^DEff", names(x)), drop = FALSE])
# Proportion CIs twice: svyciprop(method = "xlogit") is the closed-form logit interval;
# method = "logit" gives the same interval through svyglm, whose IRLS stops at glm's
# epsilon = 1e-8, so it agrees only to about 1e-7.
add <- function(case, statistic, variable, by, domain, level, est, se, lo, hi, deff, df,
                xlo = lo, xhi = hi) {
  rows[[length(rows) + 1]] <<- data.frame(case, statistic, variable, by, domain, level,
    estimate = as.numeric(est), se = as.numeric(se), ci_low = as.numeric(xlo),
    ci_high = as.numeric(xhi), ci_low_logit = as.numeric(lo), ci_high_logit = as.numeric(hi),
    deff = as.numeric(deff), df = as.numeric(df))
}
xci <- function(formula, des) attr(svyciprop(formula, des, method = "xlogit"), "ci")
for (case in names(designs)) {
  des <- designs[[case]]
  # overall mean and proportions
  m <- svymean(~score, des, deff = "replace")
  ci <- confint(m)
  add(case, "mean", "score", "", "ensemble", "moyenne", coef(m), SE(m), ci[1], ci[2],
      deff(m), degf(des))
  p <- svymean(~impact_f, des, deff = "replace")
  for (k in 1:4) {
    cp <- svyciprop(as.formula(paste0("~I(impact == ", k, ")")), des, method = "logit")
    xp <- xci(as.formula(paste0("~I(impact == ", k, ")")), des)
    add(case, "proportion", "impact", "", "ensemble", as.character(k), coef(p)[k], SE(p)[k],
        attr(cp, "ci")[1], attr(cp, "ci")[2], deff(p)[k], degf(des), xp[1], xp[2])
  }
  # by region
  mb <- svyby(~score, ~region, des, svymean, deff = "replace")
  cib <- confint(mb)
  for (i in seq_len(nrow(mb))) {
    sub <- subset(des, region == mb$region[i])
    add(case, "mean", "score", "region", mb$region[i], "moyenne", mb$score[i], SE(mb)[i],
        cib[i, 1], cib[i, 2], bydeff(mb)[i, 1], degf(sub))
  }
  pb <- svyby(~impact_f, ~region, des, svymean, deff = "replace")
  for (k in 1:4) {
    cb <- svyby(as.formula(paste0("~I(impact == ", k, ")")), ~region, des, svyciprop,
                method = "logit", vartype = "ci")
    for (i in seq_len(nrow(pb))) {
      sub <- subset(des, region == pb$region[i])
      xp <- xci(as.formula(paste0("~I(impact == ", k, ")")), sub)
      add(case, "proportion", "impact", "region", pb$region[i], as.character(k),
          pb[i, 1 + k], SE(pb)[i, k], cb$ci_l[i], cb$ci_u[i], bydeff(pb)[i, k], degf(sub),
          xp[1], xp[2])
    }
  }
  # innovation (yes / no) by sex
  ib <- svyby(~factor(innovation), ~sex, des, svymean, deff = "replace")
  cb <- svyby(~I(innovation == 1), ~sex, des, svyciprop, method = "logit", vartype = "ci")
  for (i in seq_len(nrow(ib))) {
    sub <- subset(des, sex == ib$sex[i])
    xp <- xci(~I(innovation == 1), sub)
    add(case, "proportion", "innovation", "sex", ib$sex[i], "1", ib[i, 3], SE(ib)[i, 2],
        cb$ci_l[i], cb$ci_u[i], bydeff(ib)[i, 2], degf(sub), xp[1], xp[2])
  }
}
out <- do.call(rbind, rows)
full <- function(df) {
  for (col in names(df)) if (is.double(df[[col]])) df[[col]] <- sprintf("%.17g", df[[col]])
  df
}

provenance <- c(
  paste0("# provenance: ", R.version.string, "; survey ", packageVersion("survey"),
         "; generated ", format(Sys.time(), "%Y-%m-%d"), " by tests/survey/golden/make_golden.R"),
  "# data: sample.csv (synthétique, seed 20240605); margins: margins.csv",
  "# estimates: svymean/svyby(deff='replace'); proportion CIs: svyciprop(method='xlogit') and (method='logit'); mean CIs: confint(svymean)")
con <- file("golden_estimates.csv", "w")
writeLines(provenance, con)
write.csv(full(out), con, row.names = FALSE, quote = FALSE)
close(con)

wts <- data.frame(id = d$id,
                  raked = weights(designs$raked),
                  raked_strata_cluster = weights(designs$raked_strata_cluster),
                  poststratified = weights(designs$poststratified))
con <- file("golden_weights.csv", "w")
writeLines(provenance[1:2], con)
write.csv(full(wts), con, row.names = FALSE, quote = FALSE)
close(con)
