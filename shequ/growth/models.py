from shequ.growth.careers.models import *  # noqa: F401,F403
from shequ.growth.training.models import *  # noqa: F401,F403
