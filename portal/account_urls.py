from django.contrib.auth import views as auth_views
from django.urls import path

from . import password_views, two_factor_views
from .forms import LoginForm
from .security import logout_everywhere

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("logout-everywhere/", logout_everywhere, name="logout_everywhere"),
    path("password/", password_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", password_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password-reset/", password_views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", password_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        password_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", password_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("2fa/", two_factor_views.enrol, name="two_factor_enrol"),
    path("2fa/verify/", two_factor_views.verify_code, name="two_factor_verify"),
    path("2fa/disable/", two_factor_views.disable, name="two_factor_disable"),
]
