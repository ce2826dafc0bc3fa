# A chain entirely inside the child: reported once, by the child's own check (its directory
# is walked too), not again from the caller.
module "deploy" {
  source = "./modules/deploy"
}
